package dev.baton.common.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What a request served by one of Reactor Netty's own routes needs from the web stack it skips
 * (docs/adr/0011): its body within the size limit, its answer written, and its
 * {@code http.server.requests} timer, with WebFlux's tags ({@link Timers}).
 */
public final class NettyExchange {

    private static final byte[] NO_BODY = new byte[0];

    private NettyExchange() {}

    /**
     * An answer to write.
     *
     * @param status the status
     * @param headers headers to set
     * @param contentType the body's type, or null without a body
     * @param body the body, empty for none
     */
    public record Answer(int status, Map<String, String> headers, String contentType, byte[] body) {

        /** An answer without a body. */
        public static Answer empty(int status) {
            return new Answer(status, Map.of(), null, NO_BODY);
        }
    }

    /** A body over {@code baton.web.max-request-size}: answered 413. */
    public static final class BodyTooLarge extends RuntimeException {

        BodyTooLarge(long limit) {
            super("The request body is larger than " + limit + " bytes.", null, false, false);
        }
    }

    /** The request's path, without its query. */
    public static String path(HttpServerRequest request) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /**
     * A request's body, read at most once: by the handler that needs it, or, for an answer given
     * without it (a refusal, a bad path), read and dropped before that answer is written.
     *
     * <p>HTTP/1.1 asks a server to read a request to its end or close the connection after
     * answering (RFC 9112, 9.3). Reactor Netty 1.3.6 also stops reading a connection for good when
     * a request queued behind another one on it is answered before its end is read
     * (reactor-netty#4361), even a request without a body: the connection's next request is never
     * answered.
     */
    public static final class RequestBody {

        private final HttpServerRequest request;
        private final long limit;
        private boolean taken;

        /** The body of {@code request}, at most {@code limit} bytes long. */
        public RequestBody(HttpServerRequest request, long limit) {
            this.request = request;
            this.limit = limit;
        }

        /**
         * The body, failing with {@link BodyTooLarge} as soon as its declared or received length
         * passes the limit; empty when there is none.
         */
        public Mono<byte[]> bytes() {
            taken = true;
            return received().aggregate().asByteArray().filter(bytes -> bytes.length > 0);
        }

        /**
         * {@code answer}, once the body, when nothing took it, is read and dropped. A body over the
         * limit is left unread, as when the handler took it: its client may still be sending it,
         * and would lose the answer to a connection closed under it.
         */
        public Mono<Answer> before(Answer answer) {
            if (taken) {
                return Mono.just(answer);
            }
            taken = true;
            return received().then(Mono.just(answer)).onErrorReturn(answer);
        }

        private ByteBufFlux received() {
            long declared = request.requestHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
            if (declared > limit) {
                return ByteBufFlux.fromInbound(Mono.error(new BodyTooLarge(limit)));
            }
            long[] received = {0};
            return ByteBufFlux.fromInbound(request.receive().doOnNext(chunk -> {
                received[0] += chunk.readableBytes();
                if (received[0] > limit) {
                    throw new BodyTooLarge(limit);
                }
            }));
        }
    }

    /** Writes the answer, with its length. */
    public static Mono<Void> write(HttpServerResponse response, Answer answer) {
        response.status(answer.status());
        answer.headers().forEach(response::header);
        if (answer.contentType() != null) {
            response.header(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        }
        if (answer.body().length == 0) {
            // A 204 carries no Content-Length (RFC 9110, 8.6).
            if (answer.status() != 204) {
                response.header(HttpHeaderNames.CONTENT_LENGTH, "0");
            }
            return response.send().then();
        }
        response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(answer.body().length));
        return response.sendByteArray(Mono.just(answer.body())).then();
    }

    /**
     * The {@code http.server.requests} timers of a set of routes, the ones WebFlux's observation
     * would record a request in: by route template, method, status, outcome and exception. Each
     * is registered at its first request and reused by the next ones. Thread-safe.
     */
    public static final class Timers {

        /** What tells one timer from another: the outcome follows from the status. */
        private record Key(String template, String method, int status, String exception) {}

        private final MeterRegistry meters;
        private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

        public Timers(MeterRegistry meters) {
            this.meters = meters;
        }

        /**
         * Records a request.
         *
         * @param status the status answered, or 0 when the client went away first
         * @param exception the simple name of the error answered, or {@code none}
         * @param started when the request arrived, in {@link System#nanoTime()}
         */
        public void record(String template, String method, int status, String exception, long started) {
            Key key = new Key(template, method, status, exception);
            Timer timer = timers.get(key);
            if (timer == null) {
                timer = timers.computeIfAbsent(key, this::register);
            }
            timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }

        private Timer register(Key key) {
            int status = key.status();
            String outcome =
                    status == 0 ? "UNKNOWN" : status < 400 ? "SUCCESS" : status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
            return Timer.builder("http.server.requests")
                    .tags(
                            "uri",
                            key.template(),
                            "method",
                            key.method(),
                            "status",
                            status == 0 ? "UNKNOWN" : Integer.toString(status),
                            "outcome",
                            outcome,
                            "exception",
                            key.exception(),
                            "error",
                            key.exception())
                    .register(meters);
        }
    }
}
