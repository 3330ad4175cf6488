package dev.baton.gateway;

import dev.baton.common.problem.Causes;
import dev.baton.common.problem.ReactiveProblems;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers every error the gateway meets with a problem: an upstream that refuses the
 * connection is 503 (retry after a second), one that does not answer in time is 504, a path no
 * route serves is 404.
 */
@Component
@Order(-2)
class GatewayProblemHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayProblemHandler.class);

    private final JsonMapper json;

    GatewayProblemHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        HttpStatus status;
        String detail;
        if (Causes.find(ex, ConnectException.class) != null) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            detail = "The service behind this path is not reachable now; retry later.";
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        } else if (Causes.find(ex, TimeoutException.class) != null) {
            status = HttpStatus.GATEWAY_TIMEOUT;
            detail = "The service behind this path did not answer in time.";
        } else if (ex instanceof ResponseStatusException rse && HttpStatus.resolve(rse.getStatusCode().value()) != null) {
            status = HttpStatus.valueOf(rse.getStatusCode().value());
            detail = status == HttpStatus.NOT_FOUND ? "No Baton API is served at this path." : rse.getReason();
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            detail = "The gateway failed to handle the request.";
        }
        if (status.is5xxServerError()) {
            log.warn("{} {} failed with {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    status.value(), ex.toString());
        }
        return ReactiveProblems.write(response, json, status, detail, exchange.getRequest().getPath().value());
    }
}
