package dev.baton.registry;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Registry settings ({@code baton.registry.*}).
 *
 * @param defaultTtl an instance's TTL when it registers without one
 * @param sweepInterval how often expired instances are removed (one replica at a time); lists leave
 *        them out at once
 * @param protection the protection threshold
 */
@Validated
@ConfigurationProperties("baton.registry")
public record RegistryProperties(
        @DefaultValue("15s") Duration defaultTtl,
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue @Valid Protection protection) {

    /**
     * Protection against mass expiry, as Nacos's protect threshold: while fewer than
     * {@code threshold} of a service's instances are healthy, the registry lists them all, expired
     * ones included, and keeps them. 0 (the default) turns it off.
     *
     * @param threshold the smallest healthy share, 0 to 1, of every service
     * @param services the threshold of particular services, overriding {@code threshold}
     */
    public record Protection(
            @DefaultValue("0") @DecimalMin("0") @DecimalMax("1")
            double threshold,

            @DefaultValue Map<String, @DecimalMin("0") @DecimalMax("1") Double> services) {

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
