package dev.baton.lock.semaphore;

import dev.baton.common.web.InvalidRequestException;
import dev.baton.common.web.ResourceName;
import dev.baton.lock.api.BlockingCalls;
import dev.baton.lock.api.LeaseEndpoints;
import dev.baton.lock.api.LeaseLimits;
import dev.baton.lock.api.LeaseResponse;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.LeaseMode;
import dev.baton.lock.engine.LeaseRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Semaphores: leases on some of a name's permits. */
@RestController
@RequestMapping(SemaphoreController.PATH)
@Tag(name = "Semaphores")
class SemaphoreController extends LeaseEndpoints {

    static final String PATH = "/api/v1/semaphores";

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
    record AcquirePermits(@NotBlank @Size(max = 200) String owner,
            @Min(1) @Max(MAX_LIMIT) Integer permits,
            @NotNull @Min(1) @Max(MAX_LIMIT) Integer limit,
            @Min(LeaseLimits.MIN_TTL_MS) @Max(LeaseLimits.MAX_TTL_MS) Long ttlMs,
            @Min(0) @Max(LeaseLimits.MAX_WAIT_MS) Long waitMs,
            @Size(min = 1, max = 200) String requestId) {
    }

    SemaphoreController(LeaseEngine leases, BlockingCalls calls) {
        super(leases, calls, LeaseKind.SEMAPHORE, PATH);
    }

    @PostMapping("/{name}/leases")
    @Operation(summary = "Acquire permits", description = "201 with the lease; 409 when not granted within waitMs, "
            + "or when the limit differs from the one the semaphore's holders use.")
    Mono<ResponseEntity<LeaseResponse>> acquire(@PathVariable @ResourceName String name,
            @Valid @RequestBody AcquirePermits body, Principal principal) {
        int permits = body.permits() == null ? 1 : body.permits();
        if (permits > body.limit()) {
            throw new InvalidRequestException("permits", "must not exceed limit");
        }
        return acquire(new LeaseRequest(key(name), caller(principal), body.owner(), LeaseMode.PERMITS,
                permits, body.limit(), LeaseLimits.ttlOf(body.ttlMs()), LeaseLimits.maxWaitOf(body.waitMs()),
                body.requestId(), null));
    }
}
