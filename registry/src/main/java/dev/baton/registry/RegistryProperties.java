package dev.baton.registry;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Registry settings ({@code baton.registry.*}).
 *
 * @param defaultTtl an instance's TTL when it registers without one
 * @param sweepInterval how often expired instances are removed (one replica at a time)
 * @param protection the protection threshold
 */
@ConfigurationProperties("baton.registry")
public record RegistryProperties(Duration defaultTtl, Duration sweepInterval, Protection protection) {

    public RegistryProperties {
        defaultTtl = defaultTtl == null ? Duration.ofSeconds(15) : defaultTtl;
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(1) : sweepInterval;
        protection = protection == null ? new Protection(0, Map.of()) : protection;
    }

    /**
     * Protection against mass expiry, as Nacos's protect threshold: while fewer than
     * {@code threshold} of a service's instances are healthy, the registry lists them all, expired
     * ones included, and keeps them. 0 (the default) turns it off.
     *
     * @param threshold the smallest healthy share, 0 to 1, of every service
     * @param services the threshold of particular services, overriding {@code threshold}
     */
    public record Protection(double threshold, Map<String, Double> services) {

        public Protection {
            services = services == null ? Map.of() : Map.copyOf(services);
            if (threshold < 0 || threshold > 1 || services.values().stream().anyMatch(t -> t < 0 || t > 1)) {
                throw new IllegalArgumentException("baton.registry.protection thresholds must be between 0 and 1");
            }
        }

        /** The threshold of one service. */
        public double of(String service) {
            return services.getOrDefault(service, threshold);
        }

        /** Whether a service with these counts is protected: its expired instances stay listed. */
        public boolean holds(String service, long healthy, long total) {
            double min = of(service);
            return min > 0 && total > 0 && healthy < min * total;
        }
    }
}
