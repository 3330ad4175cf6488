package dev.baton.lock.lock;

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
import jakarta.validation.constraints.Size;
import java.security.Principal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Locks: exclusive or shared (readers–writer) leases on a name. */
@RestController
@RequestMapping(LockController.PATH)
@Tag(name = "Locks")
class LockController extends LeaseEndpoints {

    static final String PATH = "/api/v1/locks";

    /** How a lock is held. */
    enum LockMode {
        EXCLUSIVE, SHARED
    }

    /**
     * A request for a lock.
     *
     * @param owner who asks: shown to others in inspection and refusals
     * @param ttlMs how long the lease lives without a renewal (default 30000)
     * @param waitMs how long to wait for the grant (default 0: try once)
     * @param mode EXCLUSIVE (default) or SHARED
     * @param requestId makes the request idempotent: a retry by the same API key returns the same lease
     */
    record AcquireLock(@NotBlank @Size(max = 200) String owner,
            @Min(LeaseLimits.MIN_TTL_MS) @Max(LeaseLimits.MAX_TTL_MS) Long ttlMs,
            @Min(0) @Max(LeaseLimits.MAX_WAIT_MS) Long waitMs,
            LockMode mode,
            @Size(min = 1, max = 200) String requestId) {
    }

    LockController(LeaseEngine leases, BlockingCalls calls) {
        super(leases, calls, LeaseKind.LOCK, PATH);
    }

    @PostMapping("/{name}/leases")
    @Operation(summary = "Acquire a lock", description = "201 with the lease; 409 when not granted within waitMs. "
            + "Waiters are granted in arrival order. A retry with the same requestId but other parameters is a 409.")
    Mono<ResponseEntity<LeaseResponse>> acquire(@PathVariable @ResourceName String name,
            @Valid @RequestBody AcquireLock body, Principal principal) {
        LeaseMode mode = body.mode() == LockMode.SHARED ? LeaseMode.SHARED : LeaseMode.EXCLUSIVE;
        return acquire(new LeaseRequest(key(name), caller(principal), body.owner(), mode, 1, null,
                LeaseLimits.ttlOf(body.ttlMs()), LeaseLimits.maxWaitOf(body.waitMs()), body.requestId(), null));
    }
}
