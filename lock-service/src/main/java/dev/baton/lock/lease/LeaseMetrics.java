package dev.baton.lock.lease;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Lease metrics: {@code baton.leases.granted}, {@code baton.leases.queued},
 * {@code baton.leases.refused}, {@code baton.leases.expired} (counters by kind),
 * {@code baton.leases.wait} (time from queueing to grant) and {@code baton.leases.active}.
 */
@Component
public class LeaseMetrics {

    private final MeterRegistry registry;

    LeaseMetrics(MeterRegistry registry, LeaseStore store) {
        this.registry = registry;
        Gauge.builder("baton.leases.active", store, LeaseStore::activeLeases)
                .description("Valid leases on every resource, all replicas together")
                .register(registry);
    }

    void granted(LeaseKind kind, Duration waited) {
        Counter.builder("baton.leases.granted").tag("kind", kind.name())
                .tag("waited", String.valueOf(waited != null)).register(registry).increment();
        if (waited != null) {
            Timer.builder("baton.leases.wait").tag("kind", kind.name()).publishPercentileHistogram()
                    .register(registry).record(waited);
        }
    }

    void queued(LeaseKind kind) {
        Counter.builder("baton.leases.queued").tag("kind", kind.name()).register(registry).increment();
    }

    void refused(LeaseKind kind) {
        Counter.builder("baton.leases.refused").tag("kind", kind.name()).register(registry).increment();
    }

    void expired(LeaseKind kind, int count) {
        if (count > 0) {
            Counter.builder("baton.leases.expired").tag("kind", kind.name()).register(registry).increment(count);
        }
    }
}
