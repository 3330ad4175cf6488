package dev.baton.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * A real HTTP server in front of a lock-service, as a gateway is: it answers each request as the
 * next step of its script says, forwards every request once the script is done, and records
 * every request it receives.
 */
public final class ScriptedProxy implements AutoCloseable {

    private static final HttpClient UPSTREAM =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> FORWARDED_HEADERS = Set.of("Authorization", "Content-Type", "Accept");

    /** A request as the proxy received it, and when (on {@link System#nanoTime()}). */
    public record Received(String method, String path, String body, long atNanos) {}

    /** What the proxy does with one request. */
    public enum Step {
        /** Forwards it and relays the answer. */
        FORWARD,
        /** Forwards it, then answers 502 instead: the answer is lost after the request took effect. */
        FORWARD_THEN_502,
        /** Answers 503 without forwarding, as a gateway that reaches no replica. */
        ANSWER_503,
        /** Answers 503 with {@code Retry-After: 1} without forwarding. */
        ANSWER_503_RETRY_AFTER_1_S
    }

    private final HttpServer server;
    private final URI upstream;
    private final Deque<Step> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();

    private ScriptedProxy(int port, int upstreamPort) throws IOException {
        this.upstream = URI.create("http://localhost:" + upstreamPort);
        this.server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of the shared lock-service of {@link LockServiceFixture}. */
    public static ScriptedProxy toLockService() {
        return toLockServiceOn(0);
    }

    /** A proxy on {@code port} (0 for any free one) in front of the shared lock-service. */
    public static ScriptedProxy toLockServiceOn(int port) {
        try {
            return new ScriptedProxy(port, LockServiceFixture.service().port());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Adds steps to the script, for the requests that come next. */
    public synchronized ScriptedProxy then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    /** Every request received so far, in order. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Step step;
        synchronized (this) {
            received.add(new Received(
                    exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), body, System.nanoTime()));
            step = script.isEmpty() ? Step.FORWARD : script.poll();
        }
        try (exchange) {
            switch (step) {
                case FORWARD -> relay(exchange, forward(exchange, body));
                case FORWARD_THEN_502 -> {
                    forward(exchange, body);
                    exchange.sendResponseHeaders(502, -1);
                }
                case ANSWER_503 -> exchange.sendResponseHeaders(503, -1);
                case ANSWER_503_RETRY_AFTER_1_S -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(503, -1);
                }
            }
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        upstream.resolve(exchange.getRequestURI().getRawPath()))
                .timeout(Duration.ofSeconds(30))
                .method(
                        exchange.getRequestMethod(),
                        body.isEmpty()
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
        exchange.getRequestHeaders().forEach((header, values) -> {
            if (FORWARDED_HEADERS.stream().anyMatch(header::equalsIgnoreCase)) {
                values.forEach(value -> request.header(header, value));
            }
        });
        try {
            return UPSTREAM.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers()
                .firstValue("Content-Type")
                .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
