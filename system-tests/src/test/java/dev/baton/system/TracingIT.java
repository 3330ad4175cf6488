package dev.baton.system;

import dev.baton.test.CollectedSpans;
import dev.baton.test.OtlpReceiver;
import dev.baton.test.OtlpReceiver.ReceivedSpan;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One trace crosses the suite: a job triggered through the gateway with a {@code traceparent}
 * runs on a worker built with the worker SDK, and the gateway, the scheduler replica that took the
 * trigger, the one that dispatched it and the worker each export spans of that trace over OTLP,
 * every span the child of a span of the same trace or of the caller's.
 */
class TracingIT {

    private final Cluster cluster = Cluster.get();

    @Test
    void a_triggers_trace_crosses_the_gateway_the_scheduler_and_the_worker() throws Exception {
        Report report = new Report("tracing");
        ConfigurableApplicationContext worker = SystemWorker.start(cluster);
        try {
            TestHttp.Response created = cluster.http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                            {"name": "traced-%s", "schedule": {"type": "CRON", "cron": "0 0 2 1 1 *", "zone": "UTC"},
                             "target": {"service": "system-worker", "path": "/baton/tasks/record"}}""".formatted(
                            UUID.randomUUID().toString().substring(0, 8)));
            report.check(created.status() == 201, "the job was created (%d)", created.status());
            String traceId = CollectedSpans.traceId();
            String caller = CollectedSpans.spanId();
            TestHttp.Response triggered =
                    cluster.triggerInTrace(created.json().path("id").asString(), traceId, caller);
            report.check(
                    triggered.status() == 202, "the job was triggered through the gateway (%d)", triggered.status());

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<ReceivedSpan> spans = cluster.traces.trace(traceId);
            while (!(OtlpReceiver.servedUnderWorkerCall(spans, "system-worker")
                            && services(spans).size() >= 3
                            && orphans(spans, caller).isEmpty())
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
                spans = cluster.traces.trace(traceId);
            }
            Set<String> services = services(spans);
            report.did("trace %s: %d span(s) from %s", traceId, spans.size(), services);
            report.check(
                    services.containsAll(List.of("gateway", "scheduler-service", "system-worker")),
                    "the gateway, the scheduler and the worker exported spans of the trace");
            List<ReceivedSpan> orphans = orphans(spans, caller);
            report.check(
                    orphans.isEmpty(),
                    "every span's parent is the caller's or one of the trace (orphans: %s)",
                    orphans);
            report.check(
                    OtlpReceiver.servedUnderWorkerCall(spans, "system-worker"),
                    "the worker's span is the child of the scheduler's worker call");
        } finally {
            worker.close();
        }
        report.end();
    }

    private static Set<String> services(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::service).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The spans whose parent is neither the caller's span nor one of the trace's received. */
    private static List<ReceivedSpan> orphans(List<ReceivedSpan> spans, String caller) {
        Set<String> ids = spans.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        return spans.stream()
                .filter(span -> !span.parentSpanId().equals(caller) && !ids.contains(span.parentSpanId()))
                .toList();
    }
}
