package dev.baton.scheduler.log;

import jakarta.validation.constraints.AssertTrue;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Execution log settings ({@code baton.scheduler.logs.*}).
 *
 * @param maxAttemptSize the most text (UTF-8 bytes) one attempt's log keeps, all its shards together; the lines
 *        past it are dropped, and a TRUNCATED line marks where
 * @param retention how long an attempt's lines are kept after the last of them was written
 * @param watchPoll how often a replica reads the logs that its blocking queries follow, while one waits, to wake
 *        them on lines written through another replica and on their execution's end
 */
@Validated
@ConfigurationProperties("baton.scheduler.logs")
record LogProperties(
        @DefaultValue("1MB") DataSize maxAttemptSize,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("500ms") Duration watchPoll) {

    /** Whether each setting is above zero. */
    @AssertTrue(message = "max-attempt-size, retention and watch-poll must be positive")
    public boolean isEverySettingPositive() {
        return maxAttemptSize.toBytes() > 0 && positive(retention) && positive(watchPoll);
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
