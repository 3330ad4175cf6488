package dev.baton.lock.semaphore;

import dev.baton.lock.api.BlockingCalls;
import dev.baton.lock.api.LeaseEndpoints;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Semaphores: leases on some of a name's permits. Acquiring them is {@link SemaphoreAcquisition}. */
@RestController
@RequestMapping(SemaphoreController.PATH)
@Tag(name = SemaphoreController.TAG)
class SemaphoreController extends LeaseEndpoints {

    static final String PATH = "/api/v1/semaphores";
    static final String TAG = "Semaphores";

    SemaphoreController(LeaseEngine leases, BlockingCalls calls) {
        super(leases, calls, LeaseKind.SEMAPHORE);
    }
}
