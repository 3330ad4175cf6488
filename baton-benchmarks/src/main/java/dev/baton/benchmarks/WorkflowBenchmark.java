package dev.baton.benchmarks;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long a workflow takes to move on: from the end of a node's execution to the dispatch of the
 * node it made ready, on one scheduler replica in its own process on a real PostgreSQL, its nodes
 * calling a no-op worker of this harness ({@link BenchWorker}, registered with a registry process).
 * Two shapes, each created through the API and triggered one run at a time: a fan-out and fan-in
 * (a root, {@code BENCH_FAN_WIDTH} (100) nodes after it, and a join after all of them), and a
 * chain {@code BENCH_CHAIN_DEPTH} (100) nodes deep.
 *
 * <p>Each edge that made a node ready is measured two ways. As the scheduler records it: the
 * upstream execution's {@code finishedAt} to the downstream attempt's {@code dispatchedAt}, read
 * through the API. As the worker sees it: the moment it began to send its answer to the upstream
 * call (a worker's answer is its report of the node's end) to the arrival of the downstream call;
 * this one is also split into its two legs outside the scheduler's records: the answer to the
 * upstream's {@code finishedAt}, and the downstream's {@code dispatchedAt} to its arrival. A
 * fan-in's node is made ready by the last of its upstream nodes to end, so a fan-in counts one
 * edge per run, from that node: the join's wait for the others is the fan-out's, not the
 * scheduler's. A baseline sends as many calls at once from the harness to the worker, with no
 * scheduler: what the machine gives a fan-out. A run that measures no edge fails.
 *
 * <p>Settings (environment): {@code BENCH_FAN_RUNS} (100), {@code BENCH_CHAIN_RUNS} (10), {@code
 * BENCH_WORKFLOW_WARMUP_RUNS} (40) of each shape, so that the replica's compilers are done, {@code BENCH_WORKER_THREADS} (8).
 */
final class WorkflowBenchmark {

    private static final String RUN_HEADER = "X-Baton-Workflow-Run";
    private static final String BASELINE_HEADER = "X-Bench-Baseline";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    private final int width = Harness.intEnv("BENCH_FAN_WIDTH", 100);
    private final int depth = Harness.intEnv("BENCH_CHAIN_DEPTH", 100);
    private final int fanRuns = Harness.intEnv("BENCH_FAN_RUNS", 100);
    private final int chainRuns = Harness.intEnv("BENCH_CHAIN_RUNS", 10);
    private final int warmupRuns = Harness.intEnv("BENCH_WORKFLOW_WARMUP_RUNS", 40);
    private final int workerThreads = Harness.intEnv("BENCH_WORKER_THREADS", 8);
    private final JsonMapper json = JsonMapper.builder().build();

    /** The worker's view of each node's call, by execution id. */
    private final Map<Long, BenchWorker.Call> calls = new ConcurrentHashMap<>();

    /** The baseline's calls: each arrival after its round was sent, in microseconds. */
    private final ConcurrentHistogram direct = new ConcurrentHistogram(3);

    private volatile long roundSent;
    private volatile boolean recordDirect;

    /** A workflow's shape: its nodes in order, and the nodes each one comes after. */
    private record Shape(String name, List<String> nodes, Map<String, List<String>> upstream) {

        static Shape fan(int width) {
            List<String> nodes = new ArrayList<>();
            Map<String, List<String>> upstream = new HashMap<>();
            nodes.add("root");
            List<String> middle = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                String node = String.format(Locale.ROOT, "n%03d", i);
                nodes.add(node);
                middle.add(node);
                upstream.put(node, List.of("root"));
            }
            nodes.add("join");
            upstream.put("join", middle);
            return new Shape("fan-out and fan-in", nodes, upstream);
        }

        static Shape chain(int depth) {
            List<String> nodes = new ArrayList<>();
            Map<String, List<String>> upstream = new HashMap<>();
            for (int i = 0; i < depth; i++) {
                String node = String.format(Locale.ROOT, "c%03d", i);
                if (i > 0) {
                    upstream.put(node, List.of(nodes.get(i - 1)));
                }
                nodes.add(node);
            }
            return new Shape("chain", nodes, upstream);
        }

        String definition(String name, UUID job) {
            StringBuilder body = new StringBuilder("{\"name\": \"" + name + "\", \"nodes\": [");
            for (int i = 0; i < nodes.size(); i++) {
                body.append(i == 0 ? "" : ", ")
                        .append("{\"id\": \"")
                        .append(nodes.get(i))
                        .append("\", \"jobId\": \"")
                        .append(job)
                        .append("\"}");
            }
            body.append("], \"edges\": [");
            String separator = "";
            for (String node : nodes) {
                for (String from : upstream.getOrDefault(node, List.of())) {
                    body.append(separator)
                            .append("{\"from\": \"")
                            .append(from)
                            .append("\", \"to\": \"")
                            .append(node)
                            .append("\"}");
                    separator = ", ";
                }
            }
            return body.append("]}").toString();
        }
    }

    /** What one view of a shape measured: the latency of each edge that made a node ready, in microseconds. */
    private static final class Latencies {

        final String name;
        final Histogram micros;

        Latencies(String name) {
            this(name, Harness.histogram());
        }

        Latencies(String name, Histogram micros) {
            this.name = name;
            this.micros = micros;
        }

        void record(long micros) {
            this.micros.recordValue(Math.max(0, micros));
        }

        String line() {
            if (micros.getTotalCount() == 0) {
                throw new IllegalStateException(name + ": no edge was measured");
            }
            return String.format(
                    Locale.ROOT,
                    "%-46s %7d %9.1f ms %9.1f ms %9.1f ms %9.1f ms",
                    name,
                    micros.getTotalCount(),
                    micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(95) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0,
                    micros.getMaxValue() / 1000.0);
        }

        static String header() {
            return String.format(
                    "%n%-46s %7s %12s %12s %12s %12s",
                    "edges, completion to dispatch", "edges", "p50", "p95", "p99", "max");
        }
    }

    void run() throws Exception {
        System.out.printf(
                "Workflow benchmark: a fan-out of %d and fan-in (%d runs), a chain %d deep (%d runs), after %d "
                        + "warm-up runs of each, on %s%n",
                width, fanRuns, depth, chainRuns, warmupRuns, TestDatabase.get().url());
        try (BenchWorker worker = BenchWorker.start(workerThreads, this::answered);
                SchedulerSuite suite = SchedulerSuite.start(worker.port())) {
            System.out.println("Starting a scheduler replica in its own process...");
            try (ServiceProcess scheduler = suite.startScheduler()) {
                UUID job = createJob(scheduler);
                Shape fan = Shape.fan(width);
                Shape chain = Shape.chain(depth);
                UUID fanWorkflow = createWorkflow(scheduler, fan, job);
                UUID chainWorkflow = createWorkflow(scheduler, chain, job);
                Map<String, Latencies> fanOut = views("fan-out");
                Map<String, Latencies> fanIn = views("fan-in");
                Map<String, Latencies> links = views("chain");
                runs(scheduler, fanWorkflow, fan, warmupRuns, "warm-up, " + fan.name(), null, null);
                runs(scheduler, chainWorkflow, chain, warmupRuns, "warm-up, " + chain.name(), null, null);
                baseline(worker.port());
                runs(scheduler, fanWorkflow, fan, fanRuns, fan.name(), fanOut, fanIn);
                runs(scheduler, chainWorkflow, chain, chainRuns, chain.name(), links, links);
                List<String> lines = new ArrayList<>();
                lines.add(new Latencies("baseline: " + width + " calls at once, sent to arrival", direct).line());
                for (Map<String, Latencies> views : List.of(fanOut, fanIn, links)) {
                    for (Latencies view : views.values()) {
                        lines.add(view.line());
                    }
                }
                System.out.println(Latencies.header());
                lines.forEach(System.out::println);
            }
        }
    }

    /**
     * What the machine gives a fan-out with no scheduler: the harness sends {@code width} calls at
     * once to the worker, over the JDK's HTTP client as the scheduler does, {@code fanRuns} rounds
     * after as many unrecorded ones; each call from its round's start to its arrival.
     */
    private void baseline(int port) throws Exception {
        System.out.printf(
                "  baseline: %d rounds of %d calls at once, the harness calling the worker...%n", fanRuns, width);
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/baseline"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"upstream\": {}}"))
                .header("Content-Type", "application/json")
                .header(BASELINE_HEADER, "true")
                .build();
        for (int round = 0; round < 2 * fanRuns; round++) {
            recordDirect = round >= fanRuns;
            roundSent = System.nanoTime();
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
            Thread.sleep(100);
        }
        recordDirect = false;
    }

    private static Map<String, Latencies> views(String shape) {
        Map<String, Latencies> views = new LinkedHashMap<>();
        views.put("scheduler", new Latencies(shape + ", as the scheduler records it"));
        views.put("worker", new Latencies(shape + ", as the worker sees it"));
        views.put("report", new Latencies("  of which the upstream answer to its record"));
        views.put("call", new Latencies("  and the downstream dispatch to its arrival"));
        return views;
    }

    private void answered(BenchWorker.Call call) {
        if (call.headers().getFirst(BASELINE_HEADER) != null && recordDirect) {
            direct.recordValue(Math.max(0, (call.arrivedNanos() - roundSent) / 1000));
        } else if (call.headers().getFirst(RUN_HEADER) != null) {
            calls.put(Long.parseLong(call.headers().getFirst("X-Baton-Execution-Id")), call);
        }
    }

    /**
     * Runs the workflow {@code count} times, one run after another, and records each run's edges
     * into {@code fanOut} (the edges into nodes with one upstream node) and {@code fanIn} (those
     * with several); records nothing when they are null.
     */
    private void runs(
            ServiceProcess scheduler,
            UUID workflow,
            Shape shape,
            int count,
            String label,
            Map<String, Latencies> fanOut,
            Map<String, Latencies> fanIn)
            throws Exception {
        System.out.printf("  %s: %d runs...%n", label, count);
        long started = System.nanoTime();
        long reported = started;
        for (int i = 1; i <= count; i++) {
            long run = trigger(scheduler, workflow);
            Map<String, Long> executions = awaitEnd(scheduler, run);
            Map<String, BenchWorker.Call> seen = answers(shape, executions);
            if (fanOut != null) {
                record(scheduler, shape, executions, seen, fanOut, fanIn);
            }
            long now = System.nanoTime();
            if (i == count || now - reported > Duration.ofSeconds(10).toNanos()) {
                System.out.printf(Locale.ROOT, "    %d of %d runs, %.1f s%n", i, count, (now - started) / 1e9);
                reported = now;
            }
        }
    }

    /** Records the edge that made each node ready, in both views. */
    private void record(
            ServiceProcess scheduler,
            Shape shape,
            Map<String, Long> executions,
            Map<String, BenchWorker.Call> seen,
            Map<String, Latencies> fanOut,
            Map<String, Latencies> fanIn)
            throws IOException {
        Map<String, JsonNode> views = new HashMap<>();
        for (String node : shape.nodes()) {
            views.put(node, execution(scheduler, executions.get(node)));
        }
        for (String node : shape.nodes()) {
            List<String> upstream = shape.upstream().getOrDefault(node, List.of());
            if (upstream.isEmpty()) {
                continue;
            }
            Map<String, Latencies> into = upstream.size() == 1 ? fanOut : fanIn;
            long finished = latest(upstream, up -> micros(views.get(up).path("finishedAt")));
            long dispatched = micros(views.get(node).path("attempts").path(0).path("dispatchedAt"));
            into.get("scheduler").record(dispatched - finished);
            String last = upstream.stream()
                    .max(Comparator.comparingLong(up -> seen.get(up).answeredNanos()))
                    .orElseThrow();
            BenchWorker.Call reported = seen.get(last);
            BenchWorker.Call call = seen.get(node);
            into.get("worker").record((call.arrivedNanos() - reported.answeredNanos()) / 1000);
            long answeredAt =
                    micros(reported.arrivedAt()) + (reported.answeredNanos() - reported.arrivedNanos()) / 1000;
            into.get("report").record(micros(views.get(last).path("finishedAt")) - answeredAt);
            into.get("call").record(micros(call.arrivedAt()) - dispatched);
        }
    }

    /**
     * The worker's answer to each node's call, taken out of those noted. The worker notes a call
     * just after answering it, so the last node's may come a moment after the run ended.
     */
    private Map<String, BenchWorker.Call> answers(Shape shape, Map<String, Long> executions)
            throws InterruptedException {
        Map<String, BenchWorker.Call> seen = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (String node : shape.nodes()) {
            BenchWorker.Call call;
            while ((call = calls.remove(executions.get(node))) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the worker never answered the call of node " + node
                            + ", execution " + executions.get(node));
                }
                Thread.sleep(1);
            }
            seen.put(node, call);
        }
        return seen;
    }

    private static long latest(List<String> nodes, ToLongFunction<String> time) {
        return nodes.stream().mapToLong(time).max().orElseThrow();
    }

    private static long micros(JsonNode time) {
        if (!time.isString()) {
            throw new IllegalStateException("the scheduler recorded no time where one was expected: " + time);
        }
        return micros(Instant.parse(time.asString()));
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }

    private UUID createJob(ServiceProcess scheduler) throws IOException {
        JsonNode job = json.readTree(Harness.send("POST", scheduler.url() + "/api/v1/jobs", """
                {"name": "bench-workflow-node-%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/node"}, "routing": "ROUND_ROBIN"}""".formatted(
                        UUID.randomUUID(), SchedulerSuite.WORKER_SERVICE)));
        return UUID.fromString(job.path("id").asString());
    }

    private UUID createWorkflow(ServiceProcess scheduler, Shape shape, UUID job) throws IOException {
        String name = "bench-" + shape.name().replaceAll("[^a-z]+", "-") + "-" + UUID.randomUUID();
        JsonNode workflow =
                json.readTree(Harness.send("POST", scheduler.url() + "/api/v1/workflows", shape.definition(name, job)));
        return UUID.fromString(workflow.path("id").asString());
    }

    private long trigger(ServiceProcess scheduler, UUID workflow) throws IOException {
        return json.readTree(Harness.send("POST", scheduler.url() + "/api/v1/workflows/" + workflow + "/trigger", null))
                .path("runId")
                .asLong();
    }

    /** Follows the run with blocking queries until it ends; the execution of each node, which must all have succeeded. */
    private Map<String, Long> awaitEnd(ServiceProcess scheduler, long run) throws IOException {
        String url = scheduler.url() + "/api/v1/workflow-runs/" + run;
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        long index = 0;
        while (System.nanoTime() < deadline) {
            Harness.Indexed answer = Harness.get(url + "?index=" + index + "&wait=30s");
            index = answer.index();
            JsonNode view = json.readTree(answer.body());
            String status = view.path("status").asString();
            if (status.equals("SUCCEEDED")) {
                Map<String, Long> executions = new HashMap<>();
                for (JsonNode node : view.path("nodes")) {
                    executions.put(
                            node.path("id").asString(), node.path("executionId").asLong());
                }
                return executions;
            }
            if (!status.equals("PENDING") && !status.equals("RUNNING")) {
                throw new IllegalStateException("workflow run " + run + " ended " + status + ": " + answer.body());
            }
        }
        throw new IllegalStateException("workflow run " + run + " did not end within " + RUN_TIMEOUT);
    }

    private JsonNode execution(ServiceProcess scheduler, long id) throws IOException {
        return json.readTree(Harness.send("GET", scheduler.url() + "/api/v1/executions/" + id, null));
    }
}
