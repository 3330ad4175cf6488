package dev.baton.common.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The database is away (an outage, a failover, a restart): a 503 problem that the client may
 * retry, while readiness, which includes the database, turns traffic elsewhere. Consulted before
 * {@link ProblemDetailsAdvice}, whose catch-all would make it a 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DatabaseProblems {

    private static final Logger log = LoggerFactory.getLogger(DatabaseProblems.class);

    @ExceptionHandler({
        DataAccessResourceFailureException.class,
        TransientDataAccessResourceException.class,
        CannotCreateTransactionException.class,
        CannotAcquireLockException.class,
        QueryTimeoutException.class
    })
    ResponseEntity<ProblemDetail> databaseError(Exception ex) {
        return of(ex);
    }

    /**
     * The 503 for a database error a client may retry, or null for any other error:
     * <ul>
     * <li>the database is away (an outage, a failover, a restart);
     * <li>a statement waited for a lock longer than {@code lock_timeout}, or ran longer than
     * {@code statement_timeout}: another session holds what it needs (a stalled replica, say),
     * while the service itself is healthy.
     * </ul>
     */
    public static ResponseEntity<ProblemDetail> of(Throwable ex) {
        String detail;
        if (ex instanceof DataAccessResourceFailureException
                || ex instanceof TransientDataAccessResourceException
                || ex instanceof CannotCreateTransactionException) {
            log.warn("Database unavailable: {}", ex.getMessage());
            detail = "The database cannot be reached; try again shortly.";
        } else if (ex instanceof CannotAcquireLockException || ex instanceof QueryTimeoutException) {
            log.warn("Database busy: {}", ex.getMessage());
            detail = "The database did not finish this request in time (a lock or statement timeout); "
                    + "try again shortly.";
        } else {
            return null;
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
    }
}
