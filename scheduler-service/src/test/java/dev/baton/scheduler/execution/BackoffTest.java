package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    @Test
    void each_failure_doubles_the_wait_up_to_the_cap_and_jitter_keeps_it_in_the_upper_half() {
        long[] ceilings = {100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000};
        for (int failures = 1; failures <= ceilings.length; failures++) {
            long ceiling = ceilings[failures - 1];
            for (int sample = 0; sample < 200; sample++) {
                assertThat(backoff.after(failures).toMillis()).as("after %d failures", failures)
                        .isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void a_long_run_of_failures_stays_at_the_cap() {
        assertThat(backoff.after(64).toMillis()).isBetween(5_000L, 10_000L);
        assertThat(backoff.after(Integer.MAX_VALUE).toMillis()).isBetween(5_000L, 10_000L);
    }

    @Test
    void replicas_that_fail_together_do_not_wait_alike() {
        Set<Duration> waits = new HashSet<>();
        for (int replica = 0; replica < 50; replica++) {
            waits.add(backoff.after(5));
        }
        assertThat(waits).hasSizeGreaterThan(10);
    }
}
