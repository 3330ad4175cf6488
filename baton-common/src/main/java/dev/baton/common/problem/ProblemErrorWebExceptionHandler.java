package dev.baton.common.problem;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers, on WebFlux, an error that no controller advice saw (one raised by a filter or by the
 * server before any handler ran) with a problem instead of Boot's JSON error. Runs before Boot's
 * own handler.
 */
@Order(-1)
public class ProblemErrorWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

    private final JsonMapper json;

    public ProblemErrorWebExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        HttpStatus status = ex instanceof ResponseStatusException rse
                ? HttpStatus.resolve(rse.getStatusCode().value())
                : null;
        String detail;
        if (status == null || status.is5xxServerError()) {
            String incident = UUID.randomUUID().toString();
            log.error("Unexpected error, incident {}", incident, ex);
            status = status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
            detail = "The service failed to handle the request; the service log has incident " + incident + ".";
        } else {
            detail = "The request was rejected: " + status.getReasonPhrase() + ".";
        }
        return ReactiveProblems.write(
                response, json, status, detail, exchange.getRequest().getPath().value());
    }
}
