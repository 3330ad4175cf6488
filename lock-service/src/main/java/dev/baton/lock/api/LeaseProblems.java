package dev.baton.lock.api;

import dev.baton.lock.engine.LeaseLostException;
import dev.baton.lock.engine.LimitMismatchException;
import dev.baton.lock.engine.NotGrantedException;
import dev.baton.lock.engine.ReplicaUnavailableException;
import dev.baton.lock.engine.RequestIdConflictException;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The lease engine's errors as RFC 9457 problems; each has its own type. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class LeaseProblems {

    static final URI NOT_GRANTED = URI.create("urn:baton:problem:not-granted");
    static final URI LEASE_LOST = URI.create("urn:baton:problem:lease-lost");
    static final URI LIMIT_MISMATCH = URI.create("urn:baton:problem:limit-mismatch");
    static final URI REQUEST_ID_CONFLICT = URI.create("urn:baton:problem:request-id-conflict");

    @ExceptionHandler({
        NotGrantedException.class,
        LeaseLostException.class,
        LimitMismatchException.class,
        RequestIdConflictException.class,
        ReplicaUnavailableException.class
    })
    ResponseEntity<ProblemDetail> leaseError(RuntimeException ex) {
        return of(ex);
    }

    /**
     * The problem for one of the lease engine's errors, or null for any other error:
     * <ul>
     * <li>not granted within the wait: 409, naming the holders;
     * <li>the lease is no longer valid: 410, so the client knows it lost the resource;
     * <li>a semaphore asked for with another limit than its holders use: 409;
     * <li>a requestId retried with other parameters: 409;
     * <li>the replica cannot go on waiting: 503, to retry at once on any replica.
     * </ul>
     */
    static ResponseEntity<ProblemDetail> of(Throwable ex) {
        if (ex instanceof NotGrantedException notGranted) {
            ProblemDetail problem = problem(HttpStatus.CONFLICT, NOT_GRANTED, "Not granted", notGranted);
            problem.setProperty("holders", notGranted.holders());
            return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
        }
        if (ex instanceof LeaseLostException lost) {
            return ResponseEntity.status(HttpStatus.GONE)
                    .body(problem(HttpStatus.GONE, LEASE_LOST, "Lease lost", lost));
        }
        if (ex instanceof LimitMismatchException mismatch) {
            ProblemDetail problem = problem(HttpStatus.CONFLICT, LIMIT_MISMATCH, "Limit mismatch", mismatch);
            problem.setProperty("limit", mismatch.limit());
            return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
        }
        if (ex instanceof RequestIdConflictException conflict) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(problem(HttpStatus.CONFLICT, REQUEST_ID_CONFLICT, "requestId reused", conflict));
        }
        if (ex instanceof ReplicaUnavailableException unavailable) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, unavailable.getMessage()));
        }
        return null;
    }

    private static ProblemDetail problem(HttpStatus status, URI type, String title, RuntimeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
        problem.setType(type);
        problem.setTitle(title);
        return problem;
    }
}
