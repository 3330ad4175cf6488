package dev.baton.lock.lease;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A lease that was not granted within the time the client was willing to wait: 409, naming the holders. */
public class NotGrantedException extends ErrorResponseException {

    public static final URI TYPE = URI.create("urn:baton:problem:not-granted");

    public NotGrantedException(ResourceKey resource, Duration waited, List<LeaseStore.Holder> holders) {
        super(HttpStatus.CONFLICT, problem(resource, waited, holders), null);
    }

    private static ProblemDetail problem(ResourceKey resource, Duration waited, List<LeaseStore.Holder> holders) {
        String owners = holders.isEmpty() ? "earlier requests in the queue"
                : String.join(", ", holders.stream().map(holder -> holder.owner() + " (" + holder.mode()
                        + ", token " + holder.token() + ")").toList());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, resource.kind().name().toLowerCase()
                + " '" + resource.name() + "' was not granted within " + waited.toMillis() + " ms; held by " + owners
                + ".");
        problem.setType(TYPE);
        problem.setTitle("Not granted");
        problem.setProperty("holders", holders);
        return problem;
    }
}
