package dev.baton.system;

import dev.baton.test.CollectedSpans;
import dev.baton.test.OtlpReceiver;
import dev.baton.test.OtlpReceiver.ReceivedSpan;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The sample application ({@code samples/inventory}, the README's quick start) against the suite
 * as deployed, each its own process: it reads its settings from the config center, its
 * declarative lock runs concurrent restocks of one item one after the other under increasing
 * fencing tokens, and a job triggered through the gateway with a caller's {@code traceparent}
 * runs its {@code @BatonTask} in that trace, which the gateway, the scheduler and the sample
 * each export spans of. A change of its settings in the config center shows in the running
 * sample within a second.
 */
class SampleIT {

    /** Concurrent restocks of one item. */
    private static final int RESTOCKS = 4;

    /** The restock quantity the sample starts with, from the config center, and the one it changes to. */
    private static final int QUANTITY = 5;

    private static final int CHANGED_QUANTITY = 7;

    /** How soon a change in the config center must show in the running sample. */
    private static final Duration LIVE = Duration.ofSeconds(1);

    private final Cluster cluster = Cluster.get();

    @Test
    void the_sample_locks_follows_its_settings_live_and_runs_its_task_in_the_callers_trace() throws Exception {
        Report report = new Report("sample");
        putConfig("inventory.restock-quantity", String.valueOf(QUANTITY));
        putConfig("inventory.supplier-latency", "300ms");
        try (InventorySample sample = InventorySample.start(cluster)) {
            report.did("the sample started; its log is %s", sample.log);
            JsonNode settings = sample.http().get("/inventory/settings", null).json();
            report.check(
                    settings.path("restockQuantity").asInt() == QUANTITY,
                    "the sample read inventory.restock-quantity=%d from the config center (%s)",
                    QUANTITY,
                    settings);
            TestHttp.Response bad = sample.http().get("/inventory/stock/not%20a%20sku", null);
            report.check(
                    bad.status() == 400 && bad.isProblem(),
                    "an item that is not a SKU is a 400 problem (%d %s)",
                    bad.status(),
                    bad.contentType());

            concurrentRestocks(sample, report);
            taskInTheCallersTrace(sample, report);
            liveSettings(sample, report);
        }
        report.end();
    }

    /** Restocks of one item at once: each reads the level, waits for the supplier, writes it back. */
    private void concurrentRestocks(InventorySample sample, Report report) throws Exception {
        String sku = "lock-" + UUID.randomUUID().toString().substring(0, 8);
        List<JsonNode> restocks = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(RESTOCKS);
        try {
            List<Future<TestHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < RESTOCKS; i++) {
                answers.add(callers.submit(
                        () -> sample.http().send("POST", "/inventory/stock/" + sku + "/restock", null, null)));
            }
            for (Future<TestHttp.Response> answer : answers) {
                TestHttp.Response response = answer.get();
                report.check(
                        response.status() == 200, "a restock succeeded (%d %s)", response.status(), response.body());
                restocks.add(response.json());
            }
        } finally {
            callers.shutdownNow();
        }
        restocks.sort(Comparator.comparingLong(restock -> restock.path("token").asLong()));
        report.did(
                "%d concurrent restocks of %s: %s",
                RESTOCKS,
                sku,
                restocks.stream()
                        .map(r -> "token " + r.path("token").asLong() + ": "
                                + r.path("before").asInt() + " -> "
                                + r.path("after").asInt())
                        .toList());
        for (int i = 1; i < restocks.size(); i++) {
            JsonNode previous = restocks.get(i - 1);
            JsonNode next = restocks.get(i);
            report.check(
                    next.path("token").asLong() > previous.path("token").asLong()
                            && next.path("before").asInt()
                                    == previous.path("after").asInt(),
                    "the restock under token %d started from the level the one under token %d left (%d, %d)",
                    next.path("token").asLong(),
                    previous.path("token").asLong(),
                    next.path("before").asInt(),
                    previous.path("after").asInt());
        }
        JsonNode level = sample.http().get("/inventory/stock/" + sku, null).json();
        report.check(
                level.path("units").asInt() == RESTOCKS * QUANTITY
                        && level.path("token").asLong()
                                == restocks.get(restocks.size() - 1)
                                        .path("token")
                                        .asLong(),
                "no restock was lost: %d units, written under the last token (%s)",
                RESTOCKS * QUANTITY,
                level);
    }

    /** A job of the sample's task, triggered through the gateway by a caller that traces. */
    private void taskInTheCallersTrace(InventorySample sample, Report report) throws Exception {
        String sku = "task-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp.Response created =
                cluster.http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                {"name": "restock-%s", "schedule": {"type": "CRON", "cron": "0 0 2 1 1 *", "zone": "UTC"},
                 "target": {"service": "inventory", "path": "/baton/tasks/restock", "body": {"sku": "%s"}}}""".formatted(sku, sku));
        report.check(created.status() == 201, "the job of the task restock was created (%d)", created.status());
        String traceId = CollectedSpans.traceId();
        String caller = CollectedSpans.spanId();
        TestHttp.Response triggered =
                cluster.triggerInTrace(created.json().path("id").asString(), traceId, caller);
        report.check(triggered.status() == 202, "the job was triggered through the gateway (%d)", triggered.status());
        long execution = triggered.json().path("executionId").asLong();

        JsonNode[] run = new JsonNode[1];
        Cluster.awaitUntil(Duration.ofSeconds(30), "the sample ran execution " + execution, () -> {
            for (JsonNode candidate :
                    sample.http().get("/inventory/task-runs", null).json()) {
                if (candidate.path("executionId").asLong() == execution) {
                    run[0] = candidate;
                    return true;
                }
            }
            return false;
        });
        report.did("the sample ran execution %d: %s", execution, run[0]);
        report.check(
                run[0].path("restock").path("sku").asString().equals(sku)
                        && run[0].path("restock").path("after").asInt() == QUANTITY,
                "the task restocked the job's item by the configured quantity");
        report.check(
                traceId.equals(run[0].path("traceId").asString()),
                "the task ran in the caller's trace %s (it recorded %s)",
                traceId,
                run[0].path("traceId").asString());

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<ReceivedSpan> spans = cluster.traces.trace(traceId);
        while (!(OtlpReceiver.servedUnderWorkerCall(spans, "inventory")
                        && services(spans).containsAll(List.of("gateway", "scheduler-service", "lock-service")))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            spans = cluster.traces.trace(traceId);
        }
        report.did("trace %s: %d span(s) from %s", traceId, spans.size(), services(spans));
        report.check(
                services(spans).containsAll(List.of("gateway", "scheduler-service", "inventory")),
                "the gateway, the scheduler and the sample exported spans of the caller's trace");
        report.check(
                OtlpReceiver.servedUnderWorkerCall(spans, "inventory"),
                "the sample's span of the task is the child of the scheduler's worker call");
        report.check(
                services(spans).contains("lock-service"),
                "the task's lease calls joined the trace at the lock-service");
    }

    /** A change of the restock quantity in the config center, while the sample runs. */
    private void liveSettings(InventorySample sample, Report report) throws Exception {
        putConfig("inventory.restock-quantity", String.valueOf(CHANGED_QUANTITY));
        long written = System.nanoTime();
        long deadline = written + LIVE.toNanos();
        int seen = restockQuantity(sample);
        while (seen != CHANGED_QUANTITY && System.nanoTime() < deadline) {
            Thread.sleep(10);
            seen = restockQuantity(sample);
        }
        long millis = (System.nanoTime() - written) / 1_000_000;
        report.check(
                seen == CHANGED_QUANTITY,
                "the sample's settings showed inventory.restock-quantity=%d within %d ms of the write "
                        + "(it shows %d after %d ms)",
                CHANGED_QUANTITY,
                LIVE.toMillis(),
                seen,
                millis);
        String sku = "live-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode restock = sample.http()
                .send("POST", "/inventory/stock/" + sku + "/restock", null, null)
                .json();
        report.check(
                restock.path("quantity").asInt() == CHANGED_QUANTITY,
                "the next restock ordered the changed quantity (%s)",
                restock);
    }

    private static int restockQuantity(InventorySample sample) {
        return sample.http()
                .get("/inventory/settings", null)
                .json()
                .path("restockQuantity")
                .asInt();
    }

    private void putConfig(String key, String value) {
        TestHttp.Response written = cluster.http()
                .send("PUT", "/api/v1/config/inventory/" + key, TestApiKeys.ADMIN, "{\"value\": \"" + value + "\"}");
        if (written.status() != 200) {
            throw new AssertionError("could not write " + key + ": " + written.status() + " " + written.body());
        }
    }

    private static Set<String> services(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::service).collect(Collectors.toCollection(TreeSet::new));
    }
}
