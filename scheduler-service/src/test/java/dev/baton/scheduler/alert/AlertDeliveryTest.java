package dev.baton.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** How alerts are checked, limited and delivered: egress, bad channels, the rate limit, retries. */
class AlertDeliveryTest extends AlertTest {

    @Autowired
    JdbcClient jdbc;

    private TestHttp.Response create(String alerts) {
        return http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/run"}, "alerts": %s}""".formatted(unique("bad"), service, alerts));
    }

    private static List<String> fields(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        return response.json().path("errors").findValuesAsString("field");
    }

    @Test
    void a_webhook_outside_the_egress_allowlist_is_a_400_naming_its_url() {
        TestHttp.Response metadata = create("[{\"type\": \"WEBHOOK\", \"url\": \"http://169.254.169.254/hook\"}]");
        TestHttp.Response elsewhere = create("[{\"type\": \"SLACK\", \"url\": \"http://10.1.2.3/hook\"}]");

        assertThat(fields(metadata)).containsExactly("alerts[0].url");
        assertThat(metadata.body()).contains("link-local");
        assertThat(fields(elsewhere)).containsExactly("alerts[0].url");
        assertThat(elsewhere.body()).contains("is not in baton.scheduler.egress.allow");
    }

    @Test
    void bad_channels_are_400_problems_naming_their_fields() {
        assertThat(fields(create("[{\"type\": \"PAGER\", \"url\": \"http://127.0.0.1/x\"}]")))
                .containsExactly("alerts[0].type");
        assertThat(fields(create("[{\"type\": \"WEBHOOK\"}]"))).containsExactly("alerts[0].url");
        assertThat(fields(create("[{\"type\": \"TEAMS\", \"url\": \"ftp://127.0.0.1/x\"}]")))
                .containsExactly("alerts[0].url");
        assertThat(fields(create("[{\"type\": \"WEBHOOK\", \"url\": \"http://127.0.0.1/x\"}, {\"type\": \"EMAIL\"}]")))
                .contains("alerts[1].to")
                .doesNotContain("alerts[0].url");
        assertThat(fields(create("[{\"type\": \"EMAIL\", \"to\": [\"ops@example.com\", \"not an address\"]}]")))
                .contains("alerts[0].to[1]");
        assertThat(fields(create("[{\"url\": \"http://127.0.0.1/x\"}]"))).containsExactly("alerts[0].type");
    }

    @Test
    void email_without_an_smtp_server_is_a_400_naming_the_channels_type() {
        TestHttp.Response response = create("[{\"type\": \"EMAIL\", \"to\": [\"ops@example.com\"]}]");

        assertThat(fields(response)).containsExactly("alerts[0].type");
        assertThat(response.body()).contains("spring.mail.host");
    }

    @Test
    void a_url_the_egress_policy_refuses_at_delivery_is_failed_without_being_called() {
        worker.answer(call -> new TestWorker.Reply(500, "\"no\""));
        String jobId = job("\"alerts\": [{\"type\": \"WEBHOOK\", \"url\": \"%s\"}]".formatted(receiver.url("/hook")));
        jdbc.sql("""
                update job set definition = jsonb_set(definition, '{alerts,0,url}', '"http://169.254.169.254/hook"')
                 where id = :id""").param("id", UUID.fromString(jobId)).update();

        awaitExecution(trigger(jobId), "FAILED");
        List<JsonNode> alerts = awaitAlerts(
                jobId,
                list -> list.size() == 1
                        && list.get(0).path("status").asString().equals("FAILED"));

        assertThat(alerts.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(alerts.get(0).path("lastError").asString())
                .contains("refused to call http://169.254.169.254/hook")
                .contains("link-local");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void alerts_past_the_jobs_hourly_limit_are_recorded_as_suppressed_and_not_sent() {
        worker.answer(call -> new TestWorker.Reply(500, "\"no\""));
        String jobId = job("""
                "alerts": [{"type": "WEBHOOK", "url": "%s"}],
                "alertPolicy": {"maxPerHour": 2, "consecutiveFailures": 1000}""".formatted(receiver.url("/hook")));

        for (int i = 0; i < 4; i++) {
            awaitExecution(trigger(jobId), "FAILED");
        }
        List<JsonNode> alerts = awaitAlerts(
                jobId,
                list -> list.size() == 4
                        && list.stream()
                                .noneMatch(
                                        alert -> alert.path("status").asString().equals("PENDING")));

        assertThat(alerts.stream().map(alert -> alert.path("status").asString()))
                .containsExactly("SUPPRESSED", "SUPPRESSED", "SENT", "SENT");
        TestWorker.pause(500);
        assertThat(receiver.requests()).hasSize(2);
    }

    @Test
    void a_delivery_that_fails_is_retried_with_backoff_until_the_receiver_recovers() {
        AtomicInteger answered = new AtomicInteger();
        receiver.answer(request -> answered.incrementAndGet() <= 2
                ? new AlertReceiver.Answer(503, "busy")
                : new AlertReceiver.Answer(200, "ok"));
        worker.answer(call -> new TestWorker.Reply(500, "\"no\""));
        String jobId = job("\"alerts\": [{\"type\": \"WEBHOOK\", \"url\": \"%s\"}]".formatted(receiver.url("/hook")));

        awaitExecution(trigger(jobId), "FAILED");
        List<JsonNode> alerts = awaitAlerts(
                jobId,
                list -> list.size() == 1
                        && list.get(0).path("status").asString().equals("SENT"));

        assertThat(alerts.get(0).path("attempts").asInt()).isEqualTo(3);
        List<AlertReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(3);
        // retry-backoff is 300ms in the tests: the first retry waits 150-300 ms, the second 300-600 ms
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(Duration.between(requests.get(1).at(), requests.get(2).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(requests.get(2).text()).isEqualTo(requests.get(0).text());
    }

    @Test
    void a_delivery_that_keeps_failing_is_given_up_after_its_attempts_with_the_last_error() {
        receiver.answer(request -> new AlertReceiver.Answer(500, "receiver broken"));
        worker.answer(call -> new TestWorker.Reply(500, "\"no\""));
        String jobId = job("\"alerts\": [{\"type\": \"WEBHOOK\", \"url\": \"%s\"}]".formatted(receiver.url("/hook")));

        awaitExecution(trigger(jobId), "FAILED");
        List<JsonNode> alerts = awaitAlerts(
                jobId,
                list -> list.size() == 1
                        && list.get(0).path("status").asString().equals("FAILED"));

        assertThat(alerts.get(0).path("attempts").asInt()).isEqualTo(4);
        assertThat(alerts.get(0).path("lastError").asString()).isEqualTo("answered 500: receiver broken");
        assertThat(receiver.requests()).hasSize(4);
    }
}
