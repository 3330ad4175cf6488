package dev.baton.spring.boot.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an application that imports {@code spring.config.import=baton:} follows changes to its
 * namespaces ({@code baton.config.*}).
 *
 * @param watch whether the imported namespaces are watched, and the application refreshed when one
 *        changes; needs Spring Cloud Context (spring-cloud-context) on the classpath
 * @param watchWait how long the registry holds each watching request before it answers unchanged,
 *        at most 5m; a change is answered at once whatever the wait
 * @param maxBackoff the longest pause between tries while Baton cannot be read or a refresh fails;
 *        the pauses double from 500ms up to it, with jitter
 */
@ConfigurationProperties("baton.config")
public record BatonConfigProperties(
        @DefaultValue("true") boolean watch,
        @DefaultValue("55s") Duration watchWait,
        @DefaultValue("30s") Duration maxBackoff) {

    /** The longest a blocking query of the registry is held. */
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    /** Checks the settings itself: an application need not have Bean Validation. */
    public BatonConfigProperties {
        if (watchWait == null
                || watchWait.isNegative()
                || watchWait.isZero()
                || watchWait.compareTo(LONGEST_WAIT) > 0) {
            throw new IllegalArgumentException("baton.config.watch-wait must be positive and at most 5m: " + watchWait);
        }
        if (maxBackoff == null || maxBackoff.isNegative() || maxBackoff.isZero()) {
            throw new IllegalArgumentException("baton.config.max-backoff must be positive: " + maxBackoff);
        }
    }
}
