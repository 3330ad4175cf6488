package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.CollectedSpans;
import dev.baton.test.TestWorkers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker that traces with Micrometer Tracing: a task runs in a span of the scheduler's trace,
 * its reports carry that trace back to the scheduler, and its log lines name it (docs/adr/0025).
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            WorkerApplication.OWN_CONFIG,
            TestWorkers.WORKER_SIGNING,
            "baton.worker.api-key=worker-key",
            "baton.worker.heartbeat-interval=200ms",
            "management.opentelemetry.tracing.export.schedule-delay=100ms"
        })
@Import(CollectedSpans.class)
@ExtendWith(OutputCaptureExtension.class)
class WorkerTracingTest extends RunningWorker {

    private static final String INVOICE = "{\"customer\":\"bob\",\"cents\":990}";

    private static final FakeScheduler scheduler = FakeScheduler.start();

    @Autowired
    InMemorySpanExporter spans;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        registry.add("baton.worker.scheduler-url", scheduler::url);
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.close();
    }

    @Test
    void a_task_runs_in_the_schedulers_trace_and_its_heartbeats_and_report_carry_it_back() {
        String traceId = CollectedSpans.traceId();
        String call = CollectedSpans.spanId();

        assertThat(dispatch("/baton/tasks/settle", 601, traceId, call).status()).isEqualTo(202);

        SpanData served = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(span -> span.getTraceId().equals(traceId)
                                        && span.getParentSpanId().equals(call))
                                .findFirst(),
                        found -> found.isPresent())
                .orElseThrow();
        assertThat(served.getKind()).isEqualTo(SpanKind.SERVER);
        String task = CollectedSpans.traceparent(traceId, served.getSpanId());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !scheduler.calls(601, "heartbeat").isEmpty());
        assertThat(scheduler.calls(601, "heartbeat").get(0).traceparent()).isEqualTo(task);

        tasks.settlements.get(601L).complete("settled");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.calls(601, "complete").size() == 1);
        assertThat(scheduler.calls(601, "complete").get(0).traceparent()).isEqualTo(task);
    }

    @Test
    void a_task_that_fails_logs_its_failure_with_the_trace_id(CapturedOutput output) {
        String traceId = CollectedSpans.traceId();

        assertThat(dispatch("/baton/tasks/close-ledger", 602, traceId, CollectedSpans.spanId())
                        .status())
                .isEqualTo(500);

        assertThat(output.getAll())
                .containsPattern("\\[" + traceId + "-[0-9a-f]{16}\\] .*Task 'close-ledger' failed on attempt 1");
    }

    private dev.baton.test.TestHttp.Response dispatch(String path, long execution, String traceId, String parent) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(Dispatch.execution(execution, 1, 0, 1));
        headers.put("traceparent", CollectedSpans.traceparent(traceId, parent));
        return Dispatch.call(http, path, INVOICE, INVOICE, headers, TestWorkers.SIGNING_SECRET, Instant.now());
    }
}
