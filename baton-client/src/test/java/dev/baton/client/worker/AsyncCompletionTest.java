package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.CollectedSpans;
import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
import tools.jackson.databind.JsonNode;

/**
 * A task that returns a CompletionStage: answered 202 at once, heartbeated while it runs and
 * reported to a stand-in for the scheduler (a real HTTP server) when it completes. The worker
 * traces with Micrometer Tracing: a task runs in a span of the scheduler's trace, its reports
 * carry that trace back, and its log lines name it (docs/adr/0025).
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
class AsyncCompletionTest extends RunningWorker {

    private static final Duration BEAT = Duration.ofMillis(200);
    private static final String INVOICE = "{\"customer\":\"bob\",\"cents\":990}";

    private static final FakeScheduler scheduler = FakeScheduler.start();

    @Autowired
    InMemorySpanExporter spans;

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        registry.add("baton.worker.scheduler-url", () -> scheduler.url() + "/");
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.close();
    }

    @Test
    void a_task_that_completes_later_is_accepted_heartbeated_and_reported_with_its_result() {
        TestHttp.Response response = Dispatch.task(http, "/baton/tasks/settle", INVOICE, 501, 2, 1, 3);

        assertThat(response.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.calls(501, "heartbeat").size() >= 2);
        assertThat(scheduler.calls(501, "complete")).isEmpty();
        for (FakeScheduler.Call heartbeat : scheduler.calls(501, "heartbeat")) {
            assertThat(heartbeat.authorization()).isEqualTo("Bearer worker-key");
            assertThat(heartbeat.body().path("attempt").asInt()).isEqualTo(2);
            assertThat(heartbeat.body().path("shardIndex").asInt()).isEqualTo(1);
        }

        tasks.settlements.get(501L).complete("settled");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.calls(501, "complete").size() == 1);
        FakeScheduler.Call complete = scheduler.calls(501, "complete").get(0);
        assertThat(complete.authorization()).isEqualTo("Bearer worker-key");
        JsonNode body = complete.body();
        assertThat(body.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(body.path("result").path("customer").asString()).isEqualTo("bob");
        assertThat(body.path("result").path("note").asString()).isEqualTo("settled");
        assertThat(body.path("error").isNull()).isTrue();
        assertThat(body.path("attempt").asInt()).isEqualTo(2);
        assertThat(body.path("shardIndex").asInt()).isEqualTo(1);

        List<String> order = scheduler.calls(501).stream()
                .map(call -> call.path().substring(call.path().lastIndexOf('/') + 1))
                .filter(what -> !what.equals("heartbeat"))
                .toList();
        assertThat(order)
                .as("the lines the stage logged are stored before its completion")
                .containsExactly("log", "complete");
        assertThat(scheduler.logged(501)).containsExactly("settled: settled");

        int heartbeats = scheduler.calls(501, "heartbeat").size();
        await().during(BEAT.multipliedBy(4))
                .atMost(BEAT.multipliedBy(6))
                .until(() -> scheduler.calls(501, "heartbeat").size() == heartbeats);
    }

    @Test
    void a_stage_that_fails_is_reported_failed_with_its_cause_s_message() {
        assertThat(Dispatch.task(http, "/baton/tasks/settle", INVOICE, 502, 1, 0, 1)
                        .status())
                .isEqualTo(202);

        tasks.settlements.get(502L).completeExceptionally(new IllegalStateException("the bank is unreachable"));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.calls(502, "complete").size() == 1);
        JsonNode body = scheduler.calls(502, "complete").get(0).body();
        assertThat(body.path("status").asString()).isEqualTo("FAILED");
        assertThat(body.path("result").isNull()).isTrue();
        assertThat(body.path("error").asString()).isEqualTo("the bank is unreachable");
        assertThat(body.path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void heartbeats_stop_when_the_scheduler_answers_gone_and_the_completion_is_still_reported() {
        scheduler.answerHeartbeats(410);
        try {
            assertThat(Dispatch.task(http, "/baton/tasks/settle", INVOICE, 503, 1, 0, 1)
                            .status())
                    .isEqualTo(202);

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> scheduler.calls(503, "heartbeat").size() == 1);
            await().during(BEAT.multipliedBy(4))
                    .atMost(BEAT.multipliedBy(6))
                    .until(() -> scheduler.calls(503, "heartbeat").size() == 1);
        } finally {
            scheduler.answerHeartbeats(200);
        }
        tasks.settlements.get(503L).complete("late");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.calls(503, "complete").size() == 1);
    }

    @Test
    void a_completion_the_scheduler_fails_to_take_is_retried_and_one_it_has_already_is_dropped() {
        scheduler.answerCompletions(503);
        assertThat(Dispatch.task(http, "/baton/tasks/settle", INVOICE, 504, 1, 0, 1)
                        .status())
                .isEqualTo(202);
        tasks.settlements.get(504L).complete("retried");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.calls(504, "complete").size() == 2);
        List<FakeScheduler.Call> completions = scheduler.calls(504, "complete");
        assertThat(completions.get(1).body()).isEqualTo(completions.get(0).body());

        scheduler.answerCompletions(409);
        assertThat(Dispatch.task(http, "/baton/tasks/settle", INVOICE, 505, 1, 0, 1)
                        .status())
                .isEqualTo(202);
        tasks.settlements.get(505L).complete("twice");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> scheduler.calls(505, "complete").size() == 1);
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> scheduler.calls(505, "complete").size() == 1);
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

    private TestHttp.Response dispatch(String path, long execution, String traceId, String parent) {
        Map<String, String> headers = new LinkedHashMap<>(Dispatch.execution(execution, 1, 0, 1));
        headers.put("traceparent", CollectedSpans.traceparent(traceId, parent));
        return Dispatch.call(http, path, INVOICE, INVOICE, headers, TestWorkers.SIGNING_SECRET, Instant.now());
    }
}
