package dev.baton.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void each_wait_lies_between_half_and_all_of_a_doubling_bound_capped_at_the_maximum() {
        long[] bounds = {100, 200, 400, 800, 1_600, 2_000, 2_000};
        for (int retry = 1; retry <= bounds.length; retry++) {
            Duration bound = Duration.ofMillis(bounds[retry - 1]);
            for (int draw = 0; draw < 200; draw++) {
                assertThat(backoff.delay(retry)).isBetween(bound.dividedBy(2), bound);
            }
        }
    }

    @Test
    void waits_for_one_retry_spread_so_that_clients_do_not_retry_together() {
        Set<Duration> waits = new HashSet<>();
        IntStream.range(0, 100).forEach(draw -> waits.add(backoff.delay(3)));

        assertThat(waits).hasSizeGreaterThan(50);
    }

    @Test
    void a_retry_far_beyond_the_doublings_waits_at_most_the_maximum() {
        for (int retry : new int[] {40, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(backoff.delay(retry)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void a_first_wait_longer_than_the_maximum_is_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofSeconds(3), Duration.ofSeconds(2)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(2)));
    }

    @Test
    void waits_in_milliseconds_double_from_the_first_up_to_the_maximum_each_between_half_and_all_of_it() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        long[] ceilings = {500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            for (int draw = 0; draw < 200; draw++) {
                assertThat(backoff.delayMillis(attempt)).isBetween(ceilings[attempt - 1] / 2, ceilings[attempt - 1]);
            }
        }
        assertThat(backoff.delayMillis(Integer.MAX_VALUE)).isBetween(5_000L, 10_000L);
    }

    @Test
    void replicas_retrying_together_spread_out() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        Set<Long> waits = new HashSet<>();
        for (int replica = 0; replica < 50; replica++) {
            waits.add(backoff.delayMillis(1));
        }
        assertThat(waits).hasSizeGreaterThan(25);
    }
}
