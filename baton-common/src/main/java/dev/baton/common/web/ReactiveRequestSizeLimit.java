package dev.baton.common.web;

import dev.baton.common.problem.BodyTooLargeException;
import dev.baton.common.problem.ReactiveProblems;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebFlux counterpart of {@link RequestSizeLimit}: refuses request bodies over
 * {@code baton.web.max-request-size} (2 MB) with a 413 problem before anything reads them, a
 * declared length over it at once, a chunked body as soon as it passes it. At the gateway this
 * happens before anything is sent upstream: a service that refused the body itself would close
 * the connection while the gateway still streamed it, which the gateway could only report as its
 * own failure.
 */
public class ReactiveRequestSizeLimit implements WebFilter, Ordered {

    private final long limit;
    private final JsonMapper json;

    public ReactiveRequestSizeLimit(DataSize limit, JsonMapper json) {
        this.limit = limit.toBytes();
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String detail = BodyTooLargeException.detail(limit);
        if (request.getHeaders().getContentLength() > limit) {
            return ReactiveProblems.write(
                    exchange.getResponse(),
                    json,
                    HttpStatus.CONTENT_TOO_LARGE,
                    detail,
                    request.getPath().value());
        }
        if (request.getHeaders().getContentLength() >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                long[] read = {0};
                return super.getBody().handle((buffer, sink) -> {
                    read[0] += buffer.readableByteCount();
                    if (read[0] > limit) {
                        sink.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, detail));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
