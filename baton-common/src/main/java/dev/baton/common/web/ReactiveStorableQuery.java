package dev.baton.common.web;

import dev.baton.common.problem.ReactiveProblems;
import org.springframework.core.Ordered;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The WebFlux counterpart of {@link StorableQuery}. */
public class ReactiveStorableQuery implements WebFilter, Ordered {

    private final JsonMapper json;

    public ReactiveStorableQuery(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ProblemDetail problem = QueryText.problem(exchange.getRequest().getURI().getRawQuery());
        if (problem == null) {
            return chain.filter(exchange);
        }
        return ReactiveProblems.write(
                exchange.getResponse(),
                json,
                problem,
                exchange.getRequest().getPath().value());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
