package dev.baton.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

    @Test
    void waits_double_from_the_base_up_to_the_cap_each_between_half_and_all_of_it() {
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
        Set<Long> waits = new HashSet<>();
        for (int replica = 0; replica < 50; replica++) {
            waits.add(backoff.delayMillis(1));
        }
        assertThat(waits).hasSizeGreaterThan(25);
    }

    @Test
    void a_base_above_the_cap_is_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
