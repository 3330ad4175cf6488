package dev.baton.lock.lease;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A semaphore asked for with another limit than its current holders use: 409. */
public class LimitMismatchException extends ErrorResponseException {

    public static final URI TYPE = URI.create("urn:baton:problem:limit-mismatch");

    public LimitMismatchException(ResourceKey resource, int limit, int requested) {
        super(HttpStatus.CONFLICT, problem(resource, limit, requested), null);
    }

    private static ProblemDetail problem(ResourceKey resource, int limit, int requested) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Semaphore '" + resource.name()
                + "' has limit " + limit + " while it is held or awaited; this request asked for limit " + requested
                + ".");
        problem.setType(TYPE);
        problem.setTitle("Limit mismatch");
        problem.setProperty("limit", limit);
        return problem;
    }
}
