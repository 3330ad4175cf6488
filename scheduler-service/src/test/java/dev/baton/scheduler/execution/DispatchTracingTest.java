package dev.baton.scheduler.execution;

import static dev.baton.test.CollectedSpans.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.CollectedSpans;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An execution triggered by a request goes on with that request's trace: its attempt and the
 * attempt's call are spans of it, the worker gets the call's span as its parent, and the worker's
 * report joins the trace again (docs/adr/0025).
 */
class DispatchTracingTest extends SchedulerTest {

    @Autowired
    InMemorySpanExporter spans;

    @Test
    void a_triggered_execution_carries_the_trigger_requests_trace_to_the_worker_and_back() {
        String service = unique("traced");
        try (TestWorker worker =
                TestWorker.start(registry().url(), service, "w1", call -> new TestWorker.Reply(202, null))) {
            String job = createJob("""
                    {"name": "%s", "schedule": {"type": "CRON", "cron": "0 0 2 1 1 *", "zone": "UTC"},
                     "target": {"service": "%s", "path": "/tasks/report"}, "timeoutMs": 60000}""".formatted(unique("traced"), service))
                    .path("id")
                    .asString();
            String traceId = CollectedSpans.traceId();
            String caller = CollectedSpans.spanId();

            TestHttp.Response triggered = http().send(
                            "POST",
                            "/api/v1/jobs/" + job + "/trigger",
                            TestApiKeys.WRITE,
                            null,
                            Map.of("traceparent", CollectedSpans.traceparent(traceId, caller)));
            assertThat(triggered.status()).isEqualTo(202);
            long execution = triggered.json().path("executionId").asLong();

            TestWorker.Call call = await().atMost(Duration.ofSeconds(10))
                    .until(
                            () -> worker.calls().stream()
                                    .filter(c -> c.executionId() == execution)
                                    .findFirst(),
                            found -> found.isPresent())
                    .orElseThrow();
            SpanData trigger = CollectedSpans.await(spans, traceId, "http post /api/v1/jobs/{id}/trigger");
            SpanData attempt = CollectedSpans.await(spans, traceId, "execution attempt");
            SpanData sent = CollectedSpans.await(spans, traceId, "worker call");
            assertThat(trigger.getParentSpanId()).isEqualTo(caller);
            assertThat(attempt.getParentSpanId()).isEqualTo(trigger.getSpanId());
            assertThat(attribute(attempt, "baton.execution.id")).isEqualTo(String.valueOf(execution));
            assertThat(attribute(attempt, "baton.execution.attempt")).isEqualTo("1");
            assertThat(attribute(attempt, "baton.attempt.outcome")).isEqualTo("ACCEPTED");
            assertThat(sent.getParentSpanId()).isEqualTo(attempt.getSpanId());
            assertThat(sent.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(attribute(sent, "http.response.status_code")).isEqualTo("202");
            assertThat(call.traceparent()).isEqualTo(CollectedSpans.traceparent(traceId, sent.getSpanId()));

            String task = CollectedSpans.spanId();
            TestHttp.Response reported = http().send(
                            "POST",
                            "/api/v1/executions/" + execution + "/complete",
                            TestApiKeys.WRITE,
                            "{\"status\": \"SUCCEEDED\", \"result\": 1, \"attempt\": 1}",
                            Map.of(
                                    "traceparent",
                                    CollectedSpans.traceparent(CollectedSpans.traceIdOf(call.traceparent()), task)));
            assertThat(reported.status()).as(reported.body()).isEqualTo(200);
            SpanData report = CollectedSpans.await(spans, traceId, "http post /api/v1/executions/{id}/complete");
            assertThat(report.getParentSpanId()).isEqualTo(task);
            awaitExecution(execution, "SUCCEEDED");
        }
    }
}
