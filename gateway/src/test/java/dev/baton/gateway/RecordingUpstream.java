package dev.baton.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in service on loopback that answers every request {@code 200 {"from":"upstream"}} and
 * records each one as {@code describe} tells, so a test sees what the gateway forwarded, and the
 * {@code traceparent} it carried.
 */
final class RecordingUpstream {

    static final String BODY = "{\"from\":\"upstream\"}";

    private final HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Map<String, String> traceparents = new ConcurrentHashMap<>();

    private RecordingUpstream(Function<HttpExchange, String> describe) throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(describe.apply(exchange));
            String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
            if (traceparent != null) {
                traceparents.put(
                        exchange.getRequestMethod() + " "
                                + exchange.getRequestURI().getRawPath(),
                        traceparent);
            }
            exchange.getRequestBody().readAllBytes();
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    static RecordingUpstream start(Function<HttpExchange, String> describe) {
        try {
            return new RecordingUpstream(describe);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The requests it answered, as described, in order; tests clear it between steps. */
    List<String> seen() {
        return seen;
    }

    /** The {@code traceparent} the last {@code METHOD raw-path} request carried, or null. */
    String traceparent(String request) {
        return traceparents.get(request);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://localhost:" + port();
    }

    void stop() {
        server.stop(0);
    }
}
