package dev.baton.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.SchedulerTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Settled alerts are kept as long as executions are (history-retention, 7 days), pending ones until sent. */
class AlertRetentionTest extends SchedulerTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertSender sender;

    private long alert(UUID job, String status, String age) {
        return jdbc.sql("""
                insert into alert (job_id, execution_id, event, channel, payload, status, due_at, created_at)
                values (:job, 1, 'FAILED', '{"type": "SLACK", "url": "http://127.0.0.1:9/"}', '{}', :status,
                        now() + interval '1 day', now() - :age::interval)
                returning id""")
                .param("job", job)
                .param("status", status)
                .param("age", age)
                .query(Long.class)
                .single();
    }

    @Test
    void settled_alerts_older_than_the_history_retention_are_deleted_and_the_rest_kept() {
        UUID job = UUID.fromString(
                createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"url": "http://127.0.0.1:9/run"}}""".formatted(unique("retention"))).path("id").asString());
        long oldSent = alert(job, "SENT", "8 days");
        long oldSuppressed = alert(job, "SUPPRESSED", "8 days");
        long oldPending = alert(job, "PENDING", "8 days");
        long recentSent = alert(job, "SENT", "6 days");

        sender.retention();

        List<Long> left = jdbc.sql("select id from alert where job_id = :job order by id")
                .param("job", job)
                .query(Long.class)
                .list();
        assertThat(left).containsExactly(oldPending, recentSent).doesNotContain(oldSent, oldSuppressed);
    }
}
