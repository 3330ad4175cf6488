package dev.baton.lock.engine;

import java.util.UUID;

/** A renewal or release of a lease that is no longer valid: the client has lost the resource. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(ResourceKey resource, UUID leaseId) {
        super("Lease " + leaseId + " on " + resource.kind().name().toLowerCase() + " '" + resource.name()
                + "' is no longer valid: it expired, was released or was revoked. Stop working under it.");
    }
}
