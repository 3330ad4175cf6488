package dev.baton.lock.lock;

import dev.baton.lock.api.BlockingCalls;
import dev.baton.lock.api.LeaseEndpoints;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Locks: exclusive or shared (readers–writer) leases on a name. Acquiring one is
 * {@link LockAcquisition}.
 */
@RestController
@RequestMapping(LockController.PATH)
@Tag(name = LockController.TAG)
class LockController extends LeaseEndpoints {

    static final String PATH = "/api/v1/locks";
    static final String TAG = "Locks";

    LockController(LeaseEngine leases, BlockingCalls calls) {
        super(leases, calls, LeaseKind.LOCK);
    }
}
