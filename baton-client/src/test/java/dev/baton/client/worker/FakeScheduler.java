package dev.baton.client.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the scheduler-service's {@code /complete}, {@code /heartbeat} and {@code /log}
 * endpoints over real HTTP: records every call and answers with the statuses a test asks for (200
 * otherwise). A log keeps every line, or as many as a test's cap.
 */
final class FakeScheduler implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One call as it arrived, and the status it was answered; {@code traceparent} is null when it
     * carried no trace context.
     */
    record Call(String path, String authorization, JsonNode body, String traceparent, int status) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger heartbeatStatus = new AtomicInteger(200);
    private final Queue<Integer> completeStatuses = new ConcurrentLinkedQueue<>();
    private final Queue<Integer> logStatuses = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> logLines = new ConcurrentHashMap<>();
    private volatile int logCap = Integer.MAX_VALUE;

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

    /** Every call of the execution, in the order they arrived. */
    List<Call> calls(long executionId) {
        String prefix = "/api/v1/executions/" + executionId + "/";
        return calls.stream().filter(call -> call.path().startsWith(prefix)).toList();
    }

    /** The texts of the lines the execution's log kept, in the order they arrived. */
    List<String> logged(long executionId) {
        return calls(executionId, "log").stream()
                .filter(call -> call.status() == 200)
                .flatMap(call -> call.body().path("lines").valueStream())
                .map(line -> line.path("text").asString())
                .limit(logCap)
                .toList();
    }

    /** The statuses of the next log batches, one each; 200 after them. */
    void answerLogs(Integer... statuses) {
        logStatuses.addAll(List.of(statuses));
    }

    /** An execution's log keeps this many lines, and drops the rest. */
    void capLogsAt(int lines) {
        logCap = lines;
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
        JsonNode json = JSON.readTree(body);
        int status = 404;
        byte[] answer = new byte[0];
        if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/heartbeat")) {
            status = heartbeatStatus.get();
        } else if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/complete")) {
            Integer next = completeStatuses.poll();
            status = next == null ? 200 : next;
        } else if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/log")) {
            Integer next = logStatuses.poll();
            status = next == null ? 200 : next;
            if (status == 200) {
                int sent = json.path("lines").size();
                int before = logLines.getOrDefault(path, 0);
                int accepted = Math.max(0, Math.min(sent, logCap - before));
                logLines.put(path, before + sent);
                answer = JSON.writeValueAsBytes(Map.of("accepted", accepted, "dropped", sent - accepted));
            }
        }
        calls.add(new Call(
                path,
                exchange.getRequestHeaders().getFirst("Authorization"),
                json,
                exchange.getRequestHeaders().getFirst("traceparent"),
                status));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
