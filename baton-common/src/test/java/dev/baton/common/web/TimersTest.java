package dev.baton.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TimersTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final NettyExchange.Timers timers = new NettyExchange.Timers(meters);

    @Test
    void one_combination_is_one_timer_with_webflux_tags_and_another_status_is_another() {
        timers.record("/api/v1/locks/{name}/leases", "POST", 201, "none", System.nanoTime());
        timers.record("/api/v1/locks/{name}/leases", "POST", 201, "none", System.nanoTime());

        assertThat(meters.find("http.server.requests").timers()).singleElement().satisfies(timer -> {
            assertThat(timer.count()).isEqualTo(2);
            assertThat(timer.getId().getTags())
                    .containsExactlyInAnyOrder(
                            Tag.of("uri", "/api/v1/locks/{name}/leases"),
                            Tag.of("method", "POST"),
                            Tag.of("status", "201"),
                            Tag.of("outcome", "SUCCESS"),
                            Tag.of("exception", "none"),
                            Tag.of("error", "none"));
        });

        timers.record("/api/v1/locks/{name}/leases", "POST", 409, "none", System.nanoTime());
        timers.record("/api/v1/locks/{name}/leases", "POST", 0, "none", System.nanoTime());

        assertThat(meters.find("http.server.requests").timers()).hasSize(3);
        Timer conflict = meters.get("http.server.requests")
                .tags("status", "409", "outcome", "CLIENT_ERROR")
                .timer();
        assertThat(conflict.count()).isEqualTo(1);
        Timer gone = meters.get("http.server.requests")
                .tags("status", "UNKNOWN", "outcome", "UNKNOWN")
                .timer();
        assertThat(gone.count()).isEqualTo(1);
        assertThat(meters.get("http.server.requests")
                        .tag("status", "201")
                        .timer()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void a_combination_is_registered_once_and_its_timer_taken_again_for_the_next_requests() {
        timers.record("/api/v1/locks/{name}/leases/{leaseId}", "PUT", 200, "none", System.nanoTime());
        Timer first = meters.get("http.server.requests").timer();
        meters.remove(first);

        timers.record("/api/v1/locks/{name}/leases/{leaseId}", "PUT", 200, "none", System.nanoTime());

        assertThat(first.count()).isEqualTo(2);
        assertThat(meters.find("http.server.requests").timers()).isEmpty();
    }
}
