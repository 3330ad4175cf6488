package dev.baton.client.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the scheduler-service's {@code /complete} and {@code /heartbeat} endpoints over real
 * HTTP: records every call and answers with the statuses a test asks for (200 otherwise).
 */
final class FakeScheduler implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One call as it arrived; {@code traceparent} is null when it carried no trace context. */
    record Call(String path, String authorization, JsonNode body, String traceparent) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger heartbeatStatus = new AtomicInteger(200);
    private final Queue<Integer> completeStatuses = new ConcurrentLinkedQueue<>();

    private FakeScheduler(HttpServer server) {
        this.server = server;
    }

    static FakeScheduler start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FakeScheduler scheduler = new FakeScheduler(server);
            server.createContext("/api/v1/executions/", scheduler::answer);
            server.start();
            return scheduler;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The calls to {@code /api/v1/executions/{executionId}/{what}}, in order. */
    List<Call> calls(long executionId, String what) {
        String path = "/api/v1/executions/" + executionId + "/" + what;
        return calls.stream().filter(call -> call.path().equals(path)).toList();
    }

    void answerHeartbeats(int status) {
        heartbeatStatus.set(status);
    }

    /** The statuses of the next completions, one each; 200 after them. */
    void answerCompletions(Integer... statuses) {
        completeStatuses.addAll(List.of(statuses));
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        calls.add(new Call(
                path,
                exchange.getRequestHeaders().getFirst("Authorization"),
                JSON.readTree(body),
                exchange.getRequestHeaders().getFirst("traceparent")));
        int status = 404;
        if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/heartbeat")) {
            status = heartbeatStatus.get();
        } else if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/complete")) {
            Integer next = completeStatuses.poll();
            status = next == null ? 200 : next;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
