package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cap and retention of the scheduler's execution logs. */
class LogValuesTest {

    @Test
    void the_cap_and_retention_of_execution_logs_reach_the_scheduler_alone() {
        Manifests manifests = Chart.manifests(
                RenderedManifestsTest.with(Map.of("logs.maxAttemptSize", "256KB", "logs.retention", "3d")));

        assertThat(ValueSetsTest.configOf(manifests, "scheduler-service"))
                .containsEntry("BATON_SCHEDULER_LOGS_MAXATTEMPTSIZE", "256KB")
                .containsEntry("BATON_SCHEDULER_LOGS_RETENTION", "3d");
        assertThat(ValueSetsTest.configOf(manifests, "lock-service"))
                .doesNotContainKeys("BATON_SCHEDULER_LOGS_MAXATTEMPTSIZE", "BATON_SCHEDULER_LOGS_RETENTION");
    }

    @Test
    void by_default_they_are_the_schedulers_own_defaults() {
        assertThat(ValueSetsTest.configOf(Chart.manifests(RenderedManifestsTest.with(Map.of())), "scheduler-service"))
                .containsEntry("BATON_SCHEDULER_LOGS_MAXATTEMPTSIZE", "1MB")
                .containsEntry("BATON_SCHEDULER_LOGS_RETENTION", "7d");
    }
}
