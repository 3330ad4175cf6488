package dev.baton.lock.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeaseEventsTest {

    @Test
    void a_payload_names_the_resource_and_each_grant_with_its_token_and_times() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        LeaseEvents.Event event = LeaseEvents.parse("SEMAPHORE|orders/42:a.b-c_d|1500|" + first
                + "/7/1796114301325984/1796114331325984," + second + "/8/1796114301000000/1796114302000001");

        assertThat(event)
                .isEqualTo(new LeaseEvents.Event(
                        new ResourceKey(LeaseKind.SEMAPHORE, "orders/42:a.b-c_d"),
                        1500,
                        List.of(
                                new LeaseEvents.GrantNotice(
                                        first,
                                        7,
                                        Instant.parse("2026-12-01T08:38:21.325984Z"),
                                        Instant.parse("2026-12-01T08:38:51.325984Z")),
                                new LeaseEvents.GrantNotice(
                                        second,
                                        8,
                                        Instant.parse("2026-12-01T08:38:21Z"),
                                        Instant.parse("2026-12-01T08:38:22.000001Z")))));
    }

    @Test
    void too_many_grants_to_list_mean_look_up_every_local_waiter() {
        assertThat(LeaseEvents.parse("LOCK|a|-1|*").granted()).isNull();
    }

    @Test
    void no_grant_is_an_empty_list() {
        assertThat(LeaseEvents.parse("LOCK|a|-1|").granted()).isEmpty();
    }

    @Test
    void a_foreign_payload_is_refused() {
        assertThatThrownBy(() -> LeaseEvents.parse("LOCK|a|-1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeaseEvents.parse("LOCK|a|-1|" + UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
