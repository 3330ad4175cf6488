package dev.baton.scheduler.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {

    @Test
    void backoff_grows_by_the_multiplier_up_to_the_cap_and_stops_after_the_last_attempt() {
        JobDefinition.Retry retry = new JobDefinition.Retry(6, 1000L, 3.0, 10_000L).withDefaults();

        assertThat(retry.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.backoffAfter(2)).isEqualTo(Duration.ofSeconds(3));
        assertThat(retry.backoffAfter(3)).isEqualTo(Duration.ofSeconds(9));
        assertThat(retry.backoffAfter(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(retry.backoffAfter(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(retry.backoffAfter(6)).isNull();
    }

    @Test
    void no_retry_by_default() {
        assertThat(JobDefinition.Retry.NONE.backoffAfter(1)).isNull();
    }
}
