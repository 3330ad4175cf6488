package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** When executions fire, and how long they are kept. */
class TimingTest extends SchedulerTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Housekeeping housekeeping;

    @Test
    void a_one_shot_job_fires_at_its_time_though_the_safety_poll_is_a_minute_away() {
        String service = unique("timing-worker");
        try (TestWorker worker = worker(service, "w")) {
            Instant at = Instant.now().plusMillis(1500);
            String id = createJob("""
                    {"name": "%s", "schedule": {"type": "ONCE", "at": "%s"}, "target": {"service": "%s", "path": "/"}}""".formatted(unique("on-time"), at, service))
                    .path("id")
                    .asString();
            JsonNode pending = history(id).get(0);

            JsonNode done = awaitExecution(pending.path("id").asLong(), "SUCCEEDED");

            Instant started = Instant.parse(done.path("startedAt").asString());
            assertThat(started).isAfterOrEqualTo(at.truncatedTo(ChronoUnit.MILLIS));
            assertThat(Duration.between(at, started)).isLessThan(Duration.ofSeconds(1));
            assertThat(worker.calls()).hasSize(1);
        }
    }

    @Test
    void finished_executions_older_than_the_retention_are_deleted() {
        String id = createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"}, "target": {"url": "http://127.0.0.1:9/"}}""".formatted(unique("retention"))).path("id").asString();
        long old = trigger(id);
        long recent = trigger(id);
        awaitExecution(old, "FAILED");
        awaitExecution(recent, "FAILED");
        jdbc.sql("update execution set finished_at = now() - interval '8 days' where id = ?")
                .param(old)
                .update();

        housekeeping.retention();

        assertThat(http().get("/api/v1/executions/" + old, TestApiKeys.READ).status())
                .isEqualTo(404);
        assertThat(execution(recent).path("status").asString()).isEqualTo("FAILED");
        assertThat(jdbc.sql("select count(*) from execution where job_id = ? and status = 'PENDING'")
                        .param(UUID.fromString(id))
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }
}
