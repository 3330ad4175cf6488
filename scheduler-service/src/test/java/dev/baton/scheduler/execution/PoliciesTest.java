package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.scheduler.job.DueTimes;
import dev.baton.test.TestApiKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Misfire and concurrency policies, on recurring jobs against a real worker. */
class PoliciesTest extends SchedulerTest {

    @Autowired
    JdbcClient jdbc;

    private String service;
    private TestWorker worker;

    @BeforeEach
    void startWorker() {
        service = unique("policy-worker");
        worker = worker(service, "w");
    }

    @AfterEach
    void stopWorker() {
        worker.close();
    }

    private String job(String schedule, String policies) {
        return createJob("""
                {"name": "%s", "schedule": %s, "target": {"service": "%s", "path": "/run"} %s}""".formatted(unique("policy"), schedule, service, policies))
                .path("id")
                .asString();
    }

    private List<String> statuses(String jobId) {
        return history(jobId).findValuesAsString("status");
    }

    /** Makes the job's pending trigger look as if the scheduler had been down since {@code ago}. */
    @Test
    void misfire_skip_records_the_late_trigger_as_skipped_and_resumes_from_now() {
        String jobId = job(
                "{\"type\": \"FIXED_RATE\", \"intervalMs\": 600000, \"startAt\": \"2099-01-01T00:00:00Z\"}",
                ", \"misfire\": \"SKIP\"");
        jdbc.sql("update execution set scheduled_at = now() - interval '1 hour', due_at = now() - interval '1 hour' "
                        + "where job_id = ?")
                .param(UUID.fromString(jobId))
                .update();
        trigger(jobId);

        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(jobId).contains("SKIPPED"));
        JsonNode skipped = history(jobId).findParents("status").stream()
                .filter(execution -> execution.path("status").asString().equals("SKIPPED"))
                .findFirst()
                .orElseThrow();
        assertThat(skipped.path("error").asString()).startsWith("misfired");
        Instant next = Instant.parse(http().get("/api/v1/jobs/" + jobId, TestApiKeys.READ)
                .json()
                .path("nextRunAt")
                .asString());
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofMinutes(11)));
        assertThat(statuses(jobId))
                .doesNotContain("RUNNING")
                .filteredOn("SKIPPED"::equals)
                .hasSize(1);
    }

    @Test
    void misfire_fire_now_runs_the_late_trigger_once_and_resumes_from_now() {
        String jobId = job(
                "{\"type\": \"FIXED_RATE\", \"intervalMs\": 600000, \"startAt\": \"2099-01-01T00:00:00Z\"}",
                ", \"misfire\": \"FIRE_NOW\"");
        jdbc.sql("update execution set scheduled_at = now() - interval '1 hour', due_at = now() - interval '1 hour' "
                        + "where job_id = ?")
                .param(UUID.fromString(jobId))
                .update();
        trigger(jobId);

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        statuses(jobId).stream().filter("SUCCEEDED"::equals).count() == 2);
        assertThat(statuses(jobId)).containsExactlyInAnyOrder("SUCCEEDED", "SUCCEEDED", "PENDING");
        assertThat(worker.calls()).hasSize(2);
    }

    @Test
    void forbid_skips_triggers_while_an_execution_runs() {
        worker.answerAfter(1500, "\"done\"");
        String jobId = job("{\"type\": \"FIXED_RATE\", \"intervalMs\": 400}", ", \"concurrency\": \"FORBID\"");

        await().atMost(Duration.ofSeconds(15))
                .until(() ->
                        statuses(jobId).stream().filter("SUCCEEDED"::equals).count() >= 2);
        http().send("POST", "/api/v1/jobs/" + jobId + "/pause", TestApiKeys.WRITE, null);

        assertThat(statuses(jobId)).contains("SKIPPED");
        List<TestWorker.Call> calls = worker.calls();
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i).receivedAt())
                    .as("calls never overlap")
                    .isAfterOrEqualTo(calls.get(i - 1).receivedAt().plusMillis(1500));
        }
    }

    @Test
    void replace_cancels_the_running_execution_for_the_new_trigger() {
        worker.answerAfter(5000, "\"done\"");
        String jobId = job("{\"type\": \"FIXED_RATE\", \"intervalMs\": 700}", ", \"concurrency\": \"REPLACE\"");

        await().atMost(Duration.ofSeconds(15)).until(() -> statuses(jobId).contains("CANCELLED"));
        http().send("POST", "/api/v1/jobs/" + jobId + "/pause", TestApiKeys.WRITE, null);

        assertThat(statuses(jobId).stream().filter("RUNNING"::equals).count()).isLessThanOrEqualTo(1);
    }

    @Test
    void allow_lets_executions_overlap() {
        worker.answerAfter(1500, "\"done\"");
        String jobId = job("{\"type\": \"FIXED_RATE\", \"intervalMs\": 300}", "");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> statuses(jobId).stream().filter("RUNNING"::equals).count() >= 2);
        http().send("POST", "/api/v1/jobs/" + jobId + "/pause", TestApiKeys.WRITE, null);
    }

    @Test
    void fixed_delay_waits_for_each_execution_to_finish() {
        worker.answerAfter(300, "\"done\"");
        String jobId = job("{\"type\": \"FIXED_DELAY\", \"intervalMs\": 200}", "");

        await().atMost(Duration.ofSeconds(10)).until(() -> worker.calls().size() >= 4);
        http().send("POST", "/api/v1/jobs/" + jobId + "/pause", TestApiKeys.WRITE, null);

        List<TestWorker.Call> calls = worker.calls();
        for (int i = 1; i < calls.size(); i++) {
            assertThat(Duration.between(
                            calls.get(i - 1).receivedAt(), calls.get(i).receivedAt()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    @Test
    void fixed_delay_goes_on_a_delay_after_a_trigger_its_misfire_policy_skips() {
        String jobId = job(
                "{\"type\": \"FIXED_DELAY\", \"intervalMs\": 600000, \"startAt\": \"2099-01-01T00:00:00Z\"}",
                ", \"misfire\": \"SKIP\"");
        jdbc.sql("update execution set scheduled_at = now() - interval '1 hour', due_at = now() - interval '1 hour' "
                        + "where job_id = ?")
                .param(UUID.fromString(jobId))
                .update();
        DueTimes.announce(jdbc, Instant.now());

        JsonNode skipped = awaitSkipped(jobId);
        assertThat(skipped.path("error").asString()).startsWith("misfired");
        assertNextTriggerIsADelayAfter(jobId, skipped, Duration.ofMinutes(10));
    }

    @Test
    void fixed_delay_goes_on_a_delay_after_a_trigger_forbid_skips() {
        worker.answerAfter(5000, "\"done\"");
        String jobId = job(
                "{\"type\": \"FIXED_DELAY\", \"intervalMs\": 600000, \"startAt\": \"2099-01-01T00:00:00Z\"}",
                ", \"concurrency\": \"FORBID\"");
        awaitExecution(trigger(jobId), "RUNNING");
        jdbc.sql("update execution set scheduled_at = now(), due_at = now() where job_id = ? and status = 'PENDING'")
                .param(UUID.fromString(jobId))
                .update();
        DueTimes.announce(jdbc, Instant.now());

        JsonNode skipped = awaitSkipped(jobId);
        assertThat(skipped.path("error").asString()).contains("concurrency FORBID");
        assertNextTriggerIsADelayAfter(jobId, skipped, Duration.ofMinutes(10));
    }

    @Test
    void fixed_delay_goes_on_a_delay_after_replace_cancels_its_scheduled_execution() {
        worker.answerAfter(5000, "\"done\"");
        String jobId = job(
                "{\"type\": \"FIXED_DELAY\", \"intervalMs\": 600000, \"startAt\": \"2099-01-01T00:00:00Z\"}",
                ", \"concurrency\": \"REPLACE\"");
        jdbc.sql("update execution set scheduled_at = now(), due_at = now() where job_id = ? and status = 'PENDING'")
                .param(UUID.fromString(jobId))
                .update();
        DueTimes.announce(jdbc, Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(jobId).equals(List.of("RUNNING")));

        awaitExecution(trigger(jobId), "RUNNING");

        JsonNode cancelled = awaitEnded(jobId, "CANCELLED");
        assertThat(cancelled.path("trigger").asString()).isEqualTo("SCHEDULE");
        assertThat(cancelled.path("error").asString()).contains("concurrency REPLACE");
        assertNextTriggerIsADelayAfter(jobId, cancelled, Duration.ofMinutes(10));
    }

    private JsonNode awaitSkipped(String jobId) {
        return awaitEnded(jobId, "SKIPPED");
    }

    private JsonNode awaitEnded(String jobId, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(jobId).contains(status));
        return history(jobId).findParents("status").stream()
                .filter(execution -> execution.path("status").asString().equals(status))
                .findFirst()
                .orElseThrow();
    }

    /** The job's one pending trigger is scheduled {@code delay} after the skip ended its execution. */
    private void assertNextTriggerIsADelayAfter(String jobId, JsonNode skipped, Duration delay) {
        List<JsonNode> pending = history(jobId).findParents("status").stream()
                .filter(execution -> execution.path("status").asString().equals("PENDING"))
                .toList();
        assertThat(pending).as("the job's pending triggers").hasSize(1);
        Instant finished = Instant.parse(skipped.path("finishedAt").asString());
        assertThat(Instant.parse(pending.get(0).path("scheduledAt").asString()))
                .isEqualTo(finished.truncatedTo(ChronoUnit.MILLIS).plus(delay));
        assertThat(pending.get(0).path("trigger").asString()).isEqualTo("SCHEDULE");
    }
}
