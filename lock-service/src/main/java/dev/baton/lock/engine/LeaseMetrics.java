package dev.baton.lock.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Lease metrics: {@code baton.leases.granted}, {@code baton.leases.queued},
 * {@code baton.leases.refused}, {@code baton.leases.expired} (counters by kind),
 * {@code baton.leases.wait} (time from queueing to grant) and {@code baton.leases.active}.
 * Meters are registered once, at start-up, not on the request path.
 */
@Component
class LeaseMetrics {

    /** One kind's meters. */
    private record Meters(
            Counter grantedAtOnce,
            Counter grantedAfterWait,
            Counter queued,
            Counter refused,
            Counter expired,
            Timer waitTime) {}

    private final Map<LeaseKind, Meters> meters = new EnumMap<>(LeaseKind.class);

    LeaseMetrics(MeterRegistry registry, LeaseStore store) {
        Gauge.builder("baton.leases.active", store, LeaseStore::activeLeases)
                .description("Valid leases on every resource, all replicas together")
                .register(registry);
        for (LeaseKind kind : LeaseKind.values()) {
            String tag = kind.name();
            meters.put(
                    kind,
                    new Meters(
                            Counter.builder("baton.leases.granted")
                                    .tag("kind", tag)
                                    .tag("waited", "false")
                                    .register(registry),
                            Counter.builder("baton.leases.granted")
                                    .tag("kind", tag)
                                    .tag("waited", "true")
                                    .register(registry),
                            Counter.builder("baton.leases.queued")
                                    .tag("kind", tag)
                                    .register(registry),
                            Counter.builder("baton.leases.refused")
                                    .tag("kind", tag)
                                    .register(registry),
                            Counter.builder("baton.leases.expired")
                                    .tag("kind", tag)
                                    .register(registry),
                            Timer.builder("baton.leases.wait")
                                    .tag("kind", tag)
                                    .publishPercentileHistogram()
                                    .register(registry)));
        }
    }

    void granted(LeaseKind kind, Duration waited) {
        Meters kindMeters = meters.get(kind);
        if (waited == null) {
            kindMeters.grantedAtOnce().increment();
        } else {
            kindMeters.grantedAfterWait().increment();
            kindMeters.waitTime().record(waited);
        }
    }

    void queued(LeaseKind kind) {
        meters.get(kind).queued().increment();
    }

    void refused(LeaseKind kind) {
        meters.get(kind).refused().increment();
    }

    void expired(LeaseKind kind, int count) {
        if (count > 0) {
            meters.get(kind).expired().increment(count);
        }
    }
}
