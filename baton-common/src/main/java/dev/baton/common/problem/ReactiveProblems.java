package dev.baton.common.problem;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes a problem straight to a WebFlux response, for code that answers before or without a controller. */
public final class ReactiveProblems {

    private ReactiveProblems() {
    }

    public static Mono<Void> write(ServerHttpResponse response, JsonMapper json, HttpStatus status, String detail,
            String instance) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(Problems.members(status, detail, instance));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
