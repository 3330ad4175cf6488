package dev.baton.scheduler.alert;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real HTTP server on loopback that records every POST it takes and answers as its handler says. */
final class AlertReceiver implements AutoCloseable {

    /** A request as it arrived. */
    record Request(String method, String target, String timestamp, String signature, byte[] body, Instant at) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: status and body. */
    record Answer(int status, String body) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile Function<Request, Answer> handler = request -> new Answer(200, "ok");

    AlertReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** The URL of {@code path} on this receiver. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void answer(Function<Request, Answer> handler) {
        this.handler = handler;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.target().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = exchange.getRequestHeaders();
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    headers.getFirst("X-Baton-Timestamp"),
                    headers.getFirst("X-Baton-Signature"),
                    exchange.getRequestBody().readAllBytes(),
                    Instant.now());
            requests.add(request);
            Answer answer = handler.apply(request);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
