package dev.baton.gateway;

import dev.baton.common.problem.ReactiveProblems;
import dev.baton.gateway.routing.UpstreamFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers every error the gateway meets with a problem: an upstream's failure as
 * {@link UpstreamFailure} says (503 with {@code Retry-After}, 504 or 502), a path no route
 * serves 404.
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
        UpstreamFailure failure = UpstreamFailure.of(ex);
        if (failure != null) {
            status = failure.status();
            detail = failure.detail();
            failure.headers().forEach(response.getHeaders()::set);
        } else if (ex instanceof ResponseStatusException rse
                && HttpStatus.resolve(rse.getStatusCode().value()) != null) {
            status = HttpStatus.valueOf(rse.getStatusCode().value());
            detail = status == HttpStatus.NOT_FOUND ? "No Baton API is served at this path." : rse.getReason();
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            detail = "The gateway failed to handle the request.";
            log.error(
                    "{} {} failed with {}",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    status.value(),
                    ex);
            return ReactiveProblems.write(
                    response,
                    json,
                    status,
                    detail,
                    exchange.getRequest().getPath().value());
        }
        if (status.is5xxServerError()) {
            log.warn(
                    "{} {} failed with {}: {}",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    status.value(),
                    ex.toString());
        }
        return ReactiveProblems.write(
                response, json, status, detail, exchange.getRequest().getPath().value());
    }
}
