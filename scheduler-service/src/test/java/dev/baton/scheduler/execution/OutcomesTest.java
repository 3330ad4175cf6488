package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.scheduler.alert.Alerts;
import dev.baton.scheduler.job.JobDefinition;
import dev.baton.scheduler.workflow.WorkflowRuns;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Outcomes the database refuses for a while, or whose writing throws, are written in the end, once. */
class OutcomesTest extends SchedulerTest {

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
    Transitions transitions;

    @Autowired
    TransactionOperations transactions;

    @Test
    void a_success_the_database_refuses_past_the_deadline_is_recorded_as_a_success_once_it_takes_it() {
        String service = unique("outcome-worker");
        try (TestWorker worker = worker(service, "w")) {
            String jobId = createJob("""
                    {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                     "target": {"service": "%s", "path": "/run"}, "timeoutMs": 500}""".formatted(unique("refused-outcome"), service))
                    .path("id")
                    .asString();
            String refusal = "refuse_success_" + UUID.randomUUID().toString().replace("-", "");
            jdbc.sql("""
                    create function %1$s() returns trigger language plpgsql as $$
                    begin
                      if new.status = 'SUCCEEDED'
                         and exists (select 1 from execution where id = new.execution_id and job_id = '%2$s') then
                        raise exception 'the outcomes of job %2$s are refused for now';
                      end if;
                      return new;
                    end $$""".formatted(refusal, jobId)).update();
            jdbc.sql("create trigger " + refusal + " before insert or update on execution_attempt for each row "
                            + "execute function " + refusal + "()")
                    .update();
            try {
                long id = trigger(jobId);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> worker.calls().size() == 1);
                await().atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> jdbc.sql(
                                        "select coalesce(deadline_at + interval '4 seconds' < now(), true) from execution where id = ?")
                                .param(id)
                                .query(Boolean.class)
                                .single());

                assertThat(execution(id).path("status").asString())
                        .as("the deadline and its grace have passed, several sweeps ago")
                        .isEqualTo("RUNNING");
            } finally {
                jdbc.sql("drop trigger " + refusal + " on execution_attempt").update();
                jdbc.sql("drop function " + refusal + "()").update();
            }
            long id = history(jobId).get(0).path("id").asLong();

            JsonNode done = awaitExecution(id, "SUCCEEDED");

            assertThat(done.path("attempt").asInt()).isEqualTo(1);
            assertThat(done.path("failures").asInt()).isZero();
            assertThat(done.path("attempts")).hasSize(1);
            assertThat(done.path("attempts").get(0).path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(worker.calls()).hasSize(1);
        }
    }

    @Test
    void the_outcome_writer_survives_an_error_thrown_while_writing_and_writes_every_outcome() throws Exception {
        String jobId =
                createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"}, "target": {"url": "http://127.0.0.1:9/"}}""".formatted(unique("writer-error"))).path("id").asString();
        long id = history(jobId).get(0).path("id").asLong();
        JobDefinition job = json.readValue(
                jdbc.sql("select definition::text from job where id = ?")
                        .param(UUID.fromString(jobId))
                        .query(String.class)
                        .single(),
                JobDefinition.class);
        AtomicBoolean thrown = new AtomicBoolean();
        Transitions throwingOnce =
                new Transitions(
                        jdbc,
                        transactions,
                        json,
                        new Definitions(json),
                        nextTriggers,
                        alerts,
                        workflowRuns,
                        Clock.systemUTC(),
                        meters) {
                    @Override
                    public void record(List<Outcome> outcomes) {
                        if (thrown.compareAndSet(false, true)) {
                            throw new StackOverflowError("thrown by the test while writing");
                        }
                        transitions.record(outcomes);
                    }
                };
        Outcomes outcomes = new Outcomes(throwingOnce);
        List<Integer> written = new CopyOnWriteArrayList<>();
        outcomes.start();
        try {
            for (int attempt = 1; attempt <= 3; attempt++) {
                int number = attempt;
                Instant now = Instant.now();
                Claimed stale = new Claimed(
                        id, UUID.fromString(jobId), now, Trigger.MANUAL, attempt, 0, now, job, 1, null, null);
                outcomes.add(
                        new Transitions.Outcome(
                                stale,
                                List.of(new CallResult(
                                        0, 1, null, AttemptStatus.SUCCEEDED, "\"late\"", null, now, now))),
                        () -> written.add(number));
                await().atMost(Duration.ofSeconds(5)).untilTrue(thrown);
            }

            await().atMost(Duration.ofSeconds(15)).until(() -> written.size() == 3);
            assertThat(written).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(execution(id).path("status").asString())
                    .as("no outcome of an attempt not running settles it")
                    .isEqualTo("PENDING");
        } finally {
            outcomes.stop();
        }
    }
}
