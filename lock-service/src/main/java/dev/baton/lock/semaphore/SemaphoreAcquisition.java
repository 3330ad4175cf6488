package dev.baton.lock.semaphore;

import dev.baton.common.web.InvalidRequestException;
import dev.baton.lock.api.LeaseLimits;
import dev.baton.lock.api.LeaseRoutes;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.LeaseRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How permits are acquired: {@code POST /api/v1/semaphores/{name}/leases}, served by {@link LeaseRoutes}. */
@Configuration(proxyBeanMethods = false)
class SemaphoreAcquisition {

    /** The most permits a semaphore may have. */
    static final int MAX_LIMIT = 100_000;

    /**
     * A request for permits.
     *
     * @param owner who asks
     * @param permits how many permits (default 1)
     * @param limit the semaphore's permit limit; every holder must use the same
     * @param ttlMs how long the lease lives without a renewal (default 30000)
     * @param waitMs how long to wait for the grant (default 0: try once)
     * @param requestId makes the request idempotent
     */
    record AcquirePermits(
            @NotBlank @Size(max = 200) String owner,
            @Min(1) @Max(MAX_LIMIT) Integer permits,
            @NotNull @Min(1) @Max(MAX_LIMIT) Integer limit,

            @Min(LeaseLimits.MIN_TTL_MS) @Max(LeaseLimits.MAX_TTL_MS)
            Long ttlMs,

            @Min(0) @Max(LeaseLimits.MAX_WAIT_MS) Long waitMs,
            @Size(min = 1, max = 200) String requestId) {}

    @Bean
    LeaseRoutes.Acquisition<AcquirePermits> semaphoreRoute() {
        return new LeaseRoutes.Acquisition<>(
                LeaseKind.SEMAPHORE,
                SemaphoreController.TAG,
                SemaphoreController.PATH,
                "/{name}/leases",
                "Acquire permits",
                "201 with the lease; 409 when not granted within waitMs, "
                        + "or when the limit differs from the one the semaphore's holders use.",
                AcquirePermits.class,
                (key, caller, body) -> {
                    int permits = body.permits() == null ? 1 : body.permits();
                    if (permits > body.limit()) {
                        throw new InvalidRequestException("permits", "must not exceed limit");
                    }
                    return LeaseRequest.of(key, caller, body.owner())
                            .permits(permits, body.limit())
                            .ttl(LeaseLimits.ttlOf(body.ttlMs()))
                            .maxWait(LeaseLimits.maxWaitOf(body.waitMs()))
                            .requestId(body.requestId())
                            .build();
                });
    }
}
