package dev.baton.common.web;

import dev.baton.common.problem.BodyTooLargeException;
import dev.baton.common.problem.ReactiveProblems;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
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
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebFlux counterpart of {@link RequestSizeLimit}: refuses request bodies over
 * {@code baton.web.max-request-size} (2 MB) with a 413 problem before anything reads them, a
 * declared length over it at once, a chunked body as soon as it passes it. At the gateway this
 * happens before anything is sent upstream: a service that refused the body itself would close
 * the connection while the gateway still streamed it, which the gateway could only report as its
 * own failure.
 *
 * <p>A body that nothing read, because the request was refused or answered without it, is read
 * to its end and dropped before the answer is sent, and so is the end of a request without a
 * body. HTTP/1.1 asks a server to read a request to its end or close the connection (RFC 9112,
 * 9.3), and Reactor Netty 1.3.6 stops reading a connection for good when a request queued behind
 * another one on it completes before its end is read (reactor-netty#4361), even a request without
 * a body: the connection's next request is never answered.
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
        HttpHeaders headers = request.getHeaders();
        String detail = BodyTooLargeException.detail(limit);
        if (headers.getContentLength() > limit) {
            return ReactiveProblems.write(
                    exchange.getResponse(),
                    json,
                    HttpStatus.CONTENT_TOO_LARGE,
                    detail,
                    request.getPath().value());
        }
        boolean[] subscribed = {false};
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> {
                    subscribed[0] = true;
                    long[] read = {0};
                    return super.getBody().handle((buffer, sink) -> {
                        read[0] += buffer.readableByteCount();
                        if (read[0] > limit) {
                            DataBufferUtils.release(buffer);
                            sink.error(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, detail));
                        } else {
                            sink.next(buffer);
                        }
                    });
                });
            }
        };
        exchange.getResponse().beforeCommit(() -> subscribed[0] ? Mono.empty() : dropped(request));
        return chain.filter(exchange.mutate().request(counted).build());
    }

    /** Reads the body to its end, dropping it, and completes also when reading fails. */
    private static Mono<Void> dropped(ServerHttpRequest request) {
        if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty) {
            return netty.receive().then().onErrorComplete();
        }
        return request.getBody().doOnNext(DataBufferUtils::release).then().onErrorComplete();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
