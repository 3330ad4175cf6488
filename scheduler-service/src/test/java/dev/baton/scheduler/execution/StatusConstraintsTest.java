package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.scheduler.SchedulerTest;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The CHECK constraints on statuses and triggers allow exactly the names of their enums. */
class StatusConstraintsTest extends SchedulerTest {

    private static final Pattern QUOTED = Pattern.compile("'([A-Z_]+)'");

    @Autowired
    JdbcClient jdbc;

    @Test
    void each_constraint_allows_the_names_of_its_enum() {
        assertThat(allowed("execution_status_check"))
                .containsExactlyInAnyOrderElementsOf(names(ExecutionStatus.values()));
        assertThat(allowed("execution_trigger_check")).containsExactlyInAnyOrderElementsOf(names(Trigger.values()));
        assertThat(allowed("execution_attempt_status_check"))
                .containsExactlyInAnyOrderElementsOf(names(AttemptStatus.values()));
    }

    @Test
    void a_status_no_enum_names_is_refused() {
        String jobId =
                createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"url": "http://127.0.0.1:1/run"}}""".formatted(unique("constraints"))).path("id").asString();
        long id = trigger(jobId);

        assertThatThrownBy(() -> jdbc.sql("update execution set status = 'DONE' where id = :id")
                        .param("id", id)
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("update execution set trigger = 'CRON' where id = :id")
                        .param("id", id)
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("""
                        insert into execution_attempt (execution_id, attempt, shard_index, status)
                        values (:id, 99, 0, 'LOST')""").param("id", id).update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    private List<String> allowed(String constraint) {
        String definition = jdbc.sql("select pg_get_constraintdef(oid) from pg_constraint where conname = :name")
                .param("name", constraint)
                .query(String.class)
                .single();
        Matcher matcher = QUOTED.matcher(definition);
        return matcher.results().map(result -> result.group(1)).toList();
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
