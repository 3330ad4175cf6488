package dev.baton.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

/** The loads of upstream instances, and the requests sent to each. */
class InFlightTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InFlight inFlight = new InFlight(meters);

    private static ServiceInstance instance(String serviceId, String instanceId) {
        return new DefaultServiceInstance(instanceId, serviceId, "127.0.0.1", 8080, false);
    }

    private double sent(String serviceId, String instanceId) {
        return meters.get("baton.gateway.upstream.requests")
                .tags("service", serviceId, "instance", instanceId)
                .counter()
                .count();
    }

    @Test
    void each_instance_of_each_service_has_its_own_load_and_counter() {
        inFlight.started(instance("lock-service", "a"));
        inFlight.started(instance("lock-service", "a"));
        inFlight.started(instance("lock-service", "b"));
        inFlight.started(instance("scheduler-service", "a"));

        assertThat(inFlight.of("lock-service", "a")).isEqualTo(2);
        assertThat(inFlight.of("lock-service", "b")).isEqualTo(1);
        assertThat(inFlight.of("scheduler-service", "a")).isEqualTo(1);
        assertThat(inFlight.of("scheduler-service", "b")).isZero();
        assertThat(inFlight.of("registry", "a")).isZero();
        assertThat(inFlight.total("lock-service")).isEqualTo(3);
        assertThat(inFlight.total("scheduler-service")).isEqualTo(1);
        assertThat(inFlight.total("registry")).isZero();
        assertThat(sent("lock-service", "a")).isEqualTo(2);
        assertThat(sent("lock-service", "b")).isEqualTo(1);
        assertThat(sent("scheduler-service", "a")).isEqualTo(1);
        assertThat(meters.find("baton.gateway.upstream.requests").counters()).hasSize(3);

        inFlight.finished(instance("lock-service", "a"));
        inFlight.finished(instance("scheduler-service", "a"));
        inFlight.finished(instance("registry", "a"));

        assertThat(inFlight.of("lock-service", "a")).isEqualTo(1);
        assertThat(inFlight.of("scheduler-service", "a")).isZero();
        assertThat(inFlight.total("lock-service")).isEqualTo(2);
        assertThat(inFlight.total("scheduler-service")).isZero();
        assertThat(inFlight.total("registry")).isZero();
        assertThat(sent("lock-service", "a")).isEqualTo(2);

        inFlight.started(instance("lock-service", "a"));
        assertThat(inFlight.of("lock-service", "a")).isEqualTo(2);
        assertThat(sent("lock-service", "a")).isEqualTo(3);
    }
}
