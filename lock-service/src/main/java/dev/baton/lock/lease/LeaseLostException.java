package dev.baton.lock.lease;

import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A renewal or release of a lease that is no longer valid: 410, so the client knows it lost the resource. */
public class LeaseLostException extends ErrorResponseException {

    public static final URI TYPE = URI.create("urn:baton:problem:lease-lost");

    public LeaseLostException(ResourceKey resource, UUID leaseId) {
        super(HttpStatus.GONE, problem(resource, leaseId), null);
    }

    private static ProblemDetail problem(ResourceKey resource, UUID leaseId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GONE, "Lease " + leaseId + " on "
                + resource.kind().name().toLowerCase() + " '" + resource.name() + "' is no longer valid: it expired,"
                + " was released or was revoked. Stop working under it.");
        problem.setType(TYPE);
        problem.setTitle("Lease lost");
        return problem;
    }
}
