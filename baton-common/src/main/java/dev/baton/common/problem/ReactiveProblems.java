package dev.baton.common.problem;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem straight to a WebFlux response, for code that answers before or without a controller. */
public final class ReactiveProblems {

    private ReactiveProblems() {}

    public static Mono<Void> write(
            ServerHttpResponse response, JsonMapper json, HttpStatus status, String detail, String instance) {
        return write(response, json, status, Problems.members(status, detail, instance));
    }

    /** Writes a problem built with Spring's {@link ProblemDetail}, such as a validation problem. */
    public static Mono<Void> write(
            ServerHttpResponse response, JsonMapper json, ProblemDetail problem, String instance) {
        return write(response, json, HttpStatus.valueOf(problem.getStatus()), Problems.members(problem, instance));
    }

    private static Mono<Void> write(
            ServerHttpResponse response, JsonMapper json, HttpStatus status, Map<String, Object> members) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(members);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
