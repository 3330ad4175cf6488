package dev.baton.scheduler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.discovery.RegistryClient;
import dev.baton.http.BatonException;
import dev.baton.signing.CallSignature;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestWorkers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A worker instance for tests: a real HTTP server, registered with the registry under a service
 * name, that records every call and answers as its handler says. As a worker must, it answers 401
 * to a call that is not signed with {@link TestWorkers#SIGNING_SECRET}, and records none such.
 */
public final class TestWorker implements AutoCloseable {

    /**
     * A call from the scheduler, with its {@code X-Baton-*} headers.
     *
     * @param receivedAt when it arrived
     * @param path the path called
     * @param workflowRun the workflow run of a node's call ({@code X-Baton-Workflow-Run}), or null
     * @param traceparent its W3C trace context, or null
     */
    public record Call(
            long executionId,
            int attempt,
            int shardIndex,
            int shardTotal,
            Instant scheduledAt,
            String body,
            Instant receivedAt,
            String path,
            Long workflowRun,
            String traceparent) {}

    /** An answer: status and body. */
    public record Reply(int status, String body) {

        public static Reply ok(String body) {
            return new Reply(200, body);
        }
    }

    private final String service;
    private final String instanceId;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32);
    private final RegistryClient registry;
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile Function<Call, Reply> handler;

    private TestWorker(String registryUrl, String service, String instanceId, Function<Call, Reply> handler)
            throws IOException {
        this.service = service;
        this.instanceId = instanceId;
        this.handler = handler;
        // The JDK's server closes idle keep-alive connections beyond 200, under the scheduler's feet.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
        this.registry = new RegistryClient(registryUrl, TestApiKeys.WRITE, Duration.ofSeconds(5));
        registry.register(
                new RegistryClient.RegisteredInstance(
                        service, instanceId, "127.0.0.1", port(), false, null, 1, Map.of()),
                Duration.ofMinutes(5));
    }

    /** Starts a worker that answers 200 with {@code "ok"}. */
    public static TestWorker start(String registryUrl, String service, String instanceId) {
        return start(registryUrl, service, instanceId, call -> Reply.ok("\"ok " + instanceId + "\""));
    }

    public static TestWorker start(
            String registryUrl, String service, String instanceId, Function<Call, Reply> handler) {
        try {
            return new TestWorker(registryUrl, service, instanceId, handler);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String instanceId() {
        return instanceId;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public void answer(Function<Call, Reply> handler) {
        this.handler = handler;
    }

    /** Answers every call with 200 and {@code body}, after {@code millis}: a slow or busy worker. */
    public void answerAfter(long millis, String body) {
        answer(call -> {
            pause(millis);
            return Reply.ok(body);
        });
    }

    /** Sleeps; a worker's handler or a test waits with it. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops answering, so that connections are refused, but stays registered. */
    public void stopServing() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            try {
                CallSignature.verify(
                        List.of(TestWorkers.SIGNING_SECRET),
                        headers.getFirst(CallSignature.TIMESTAMP),
                        headers.getFirst(CallSignature.SIGNATURE),
                        exchange.getRequestMethod(),
                        CallSignature.target(exchange.getRequestURI()),
                        CallSignature.EXECUTION_HEADERS.stream()
                                .map(headers::getFirst)
                                .toList(),
                        bytes,
                        Instant.now());
            } catch (CallSignature.Refused e) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Call call = new Call(
                    Long.parseLong(headers.getFirst("X-Baton-Execution-Id")),
                    Integer.parseInt(headers.getFirst("X-Baton-Attempt")),
                    Integer.parseInt(headers.getFirst("X-Baton-Shard-Index")),
                    Integer.parseInt(headers.getFirst("X-Baton-Shard-Total")),
                    Instant.parse(headers.getFirst("X-Baton-Scheduled-At")),
                    body,
                    Instant.now(),
                    exchange.getRequestURI().getPath(),
                    headers.getFirst("X-Baton-Workflow-Run") == null
                            ? null
                            : Long.valueOf(headers.getFirst("X-Baton-Workflow-Run")),
                    headers.getFirst("traceparent"));
            calls.add(call);
            Reply reply = handler.apply(call);
            byte[] answer = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    @Override
    public void close() {
        try {
            registry.deregister(service, instanceId);
        } catch (BatonException e) {
            // the registry may already be gone at the end of a test run
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
