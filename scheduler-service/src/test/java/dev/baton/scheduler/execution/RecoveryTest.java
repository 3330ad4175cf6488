package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.SchedulerProperties;
import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.alert.Alerts;
import dev.baton.scheduler.workflow.WorkflowRuns;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replicas judged alive or dead on the database's clock, by a sweeper whose own clock is off.
 * Each case runs in a transaction that is rolled back, so this JVM's own sweep never sees it.
 */
class RecoveryTest extends SchedulerTest {

    private static final Duration REPLICA_TIMEOUT = Duration.ofSeconds(5);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    NextTriggers nextTriggers;

    @Autowired
    Alerts alerts;

    @Autowired
    WorkflowRuns workflowRuns;

    @Autowired
    MeterRegistry meters;

    @Autowired
    SchedulerProperties properties;

    @Autowired
    TransactionTemplate transactions;

    /** The sweep of another replica, whose clock is {@code skew} off. */
    private Transitions sweeperWithClockOff(Duration skew) {
        return new Transitions(
                jdbc,
                transactions,
                json,
                new Definitions(json),
                nextTriggers,
                alerts,
                workflowRuns,
                Clock.offset(Clock.systemUTC(), skew),
                meters);
    }

    /** A job's execution, marked RUNNING on the replica. */
    private long runningOn(String replica) {
        String jobId = createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"}, "target": {"url": "http://127.0.0.1:9/"}}""".formatted(unique("liveness"))).path("id").asString();
        return jdbc.sql("""
                update execution set status = 'RUNNING', attempt = 1, replica = ?,
                       deadline_at = now() + interval '1 hour'
                 where job_id = ? returning id""")
                .params(replica, UUID.fromString(jobId))
                .query(Long.class)
                .single();
    }

    private String statusOf(long id) {
        return jdbc.sql("select status from execution where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    @Test
    void a_replica_that_just_heartbeat_is_alive_to_a_sweeper_whose_clock_runs_ten_seconds_ahead() {
        Replica replica = new Replica(jdbc, properties);
        transactions.executeWithoutResult(tx -> {
            replica.beat();
            long id = runningOn(replica.id());

            int recovered = sweeperWithClockOff(Duration.ofSeconds(10)).recoverOrphans(REPLICA_TIMEOUT);

            assertThat(recovered).isZero();
            assertThat(statusOf(id)).isEqualTo("RUNNING");
            tx.setRollbackOnly();
        });
    }

    @Test
    void a_replica_silent_past_the_timeout_is_dead_to_a_sweeper_whose_clock_runs_ten_seconds_behind() {
        transactions.executeWithoutResult(tx -> {
            String replica = unique("silent-replica");
            jdbc.sql("insert into replica (id, heartbeat_at) values (?, clock_timestamp() - interval '6 seconds')")
                    .param(replica)
                    .update();
            long id = runningOn(replica);

            int recovered = sweeperWithClockOff(Duration.ofSeconds(-10)).recoverOrphans(REPLICA_TIMEOUT);

            assertThat(recovered).isEqualTo(1);
            assertThat(statusOf(id)).isEqualTo("PENDING");
            tx.setRollbackOnly();
        });
    }
}
