package dev.baton.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.TestWorker;
import dev.baton.signing.CallSignature;
import dev.baton.test.TestWorkers;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each trigger of an alert, with a real scheduler, worker and webhook receiver. */
class AlertTriggersTest extends AlertTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    private String webhook() {
        return """
                "alerts": [{"type": "WEBHOOK", "url": "%s"}]""".formatted(receiver.url("/hook"));
    }

    @Test
    void an_execution_that_fails_after_its_retries_posts_one_signed_webhook() throws Exception {
        worker.answer(call -> new TestWorker.Reply(500, "\"disk full\""));
        String jobId = job(webhook() + ", \"retry\": {\"maxAttempts\": 2, \"backoffMs\": 100}");

        long execution = trigger(jobId);
        awaitExecution(execution, "FAILED");
        List<JsonNode> alerts = awaitAlerts(
                jobId,
                list -> list.size() == 1
                        && list.get(0).path("status").asString().equals("SENT"));

        assertThat(worker.calls()).hasSize(2);
        AlertReceiver.Request request = receiver.requests().get(0);
        assertThat(receiver.requests()).hasSize(1);
        CallSignature.verify(
                List.of(TestWorkers.SIGNING_SECRET),
                request.timestamp(),
                request.signature(),
                "POST",
                "/hook",
                List.of(),
                request.body(),
                Instant.now());
        JsonNode payload = json.readTree(request.text());
        assertThat(payload.path("event").asString()).isEqualTo("FAILED");
        assertThat(payload.path("job").path("id").asString()).isEqualTo(jobId);
        assertThat(payload.path("execution").path("id").asLong()).isEqualTo(execution);
        assertThat(payload.path("execution").path("status").asString()).isEqualTo("FAILED");
        assertThat(payload.path("execution").path("attempt").asInt()).isEqualTo(2);
        assertThat(payload.path("execution").path("error").asString()).contains("disk full");
        assertThat(payload.path("at").asString()).isNotEmpty();
        assertThat(alerts.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(alerts.get(0).path("channel").path("url").asString()).isEqualTo(receiver.url("/hook"));
        assertThat(alerts.get(0).path("executionId").asLong()).isEqualTo(execution);
    }

    @Test
    void a_timed_out_execution_posts_a_timed_out_alert() {
        worker.answerAfter(2000, "\"late\"");
        String jobId = job(webhook() + ", \"timeoutMs\": 300");

        long execution = trigger(jobId);
        awaitExecution(execution, "TIMED_OUT");
        awaitAlerts(
                jobId,
                list -> list.size() == 1
                        && list.get(0).path("status").asString().equals("SENT"));

        JsonNode payload = json.readTree(receiver.requests().get(0).text());
        assertThat(payload.path("event").asString()).isEqualTo("TIMED_OUT");
        assertThat(payload.path("execution").path("status").asString()).isEqualTo("TIMED_OUT");
    }

    @Test
    void a_trigger_skipped_by_its_misfire_policy_posts_a_misfired_alert() {
        String jobId = createJob("""
                {"name": "%s", "schedule": {"type": "FIXED_RATE", "intervalMs": 600000, "startAt": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/run"}, "misfire": "SKIP", %s}""".formatted(unique("misfired"), service, webhook()))
                .path("id")
                .asString();
        jdbc.sql("update execution set scheduled_at = now() - interval '1 hour', due_at = now() - interval '1 hour' "
                        + "where job_id = :job")
                .param("job", UUID.fromString(jobId))
                .update();
        trigger(jobId);

        List<JsonNode> alerts = awaitAlerts(
                jobId,
                list -> list.size() == 1
                        && list.get(0).path("status").asString().equals("SENT"));

        JsonNode payload = json.readTree(receiver.requests().get(0).text());
        assertThat(alerts.get(0).path("event").asString()).isEqualTo("MISFIRED");
        assertThat(payload.path("execution").path("status").asString()).isEqualTo("SKIPPED");
        assertThat(payload.path("execution").path("error").asString()).startsWith("misfired");
    }

    @Test
    void failures_in_a_row_alert_once_at_the_threshold_and_the_next_success_recovers_once() {
        worker.answer(call -> new TestWorker.Reply(500, "\"down\""));
        String jobId = job(webhook() + ", \"alertPolicy\": {\"consecutiveFailures\": 3}");

        for (int i = 0; i < 4; i++) {
            awaitExecution(trigger(jobId), "FAILED");
        }
        worker.answer(call -> TestWorker.Reply.ok("\"up\""));
        awaitExecution(trigger(jobId), "SUCCEEDED");
        awaitExecution(trigger(jobId), "SUCCEEDED");
        worker.answer(call -> new TestWorker.Reply(500, "\"down\""));
        awaitExecution(trigger(jobId), "FAILED");

        List<JsonNode> alerts = awaitAlerts(
                jobId,
                list -> list.size() == 7
                        && list.stream()
                                .allMatch(
                                        alert -> alert.path("status").asString().equals("SENT")));
        assertThat(events(alerts))
                .containsExactly("FAILED", "FAILED", "FAILED", "CONSECUTIVE_FAILURES", "FAILED", "RECOVERED", "FAILED");
        assertThat(receiver.requests()).hasSize(7);
        JsonNode consecutive = receiver.requests().stream()
                .map(request -> json.readTree(request.text()))
                .filter(payload -> payload.path("event").asString().equals("CONSECUTIVE_FAILURES"))
                .findFirst()
                .orElseThrow();
        assertThat(consecutive.path("consecutiveFailures").asInt()).isEqualTo(3);
    }
}
