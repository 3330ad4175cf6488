package dev.baton.lock.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LeaseEventsTest {

    @Test
    void an_event_survives_its_payload() {
        ResourceKey key = new ResourceKey(LeaseKind.SEMAPHORE, "orders/42:a.b-c_d");
        List<UUID> granted = List.of(UUID.randomUUID(), UUID.randomUUID());

        LeaseEvents.Event event = LeaseEvents.parse(LeaseEvents.resourceField(key) + "|1500|"
                + LeaseEvents.grantedField(granted));

        assertThat(event).isEqualTo(new LeaseEvents.Event(key, 1500, granted));
    }

    @Test
    void too_many_grants_to_list_stay_under_postgres_payload_limit() {
        List<UUID> many = IntStream.range(0, 500).mapToObj(i -> UUID.randomUUID()).toList();

        String payload = LeaseEvents.resourceField(new ResourceKey(LeaseKind.LOCK, "x".repeat(200))) + "|-1|"
                + LeaseEvents.grantedField(many);

        assertThat(payload.length()).isLessThan(8000);
        assertThat(LeaseEvents.parse(payload).granted()).isNull();
    }

    @Test
    void no_grant_is_an_empty_list() {
        assertThat(LeaseEvents.parse("LOCK|a|-1|").granted()).isEmpty();
    }
}
