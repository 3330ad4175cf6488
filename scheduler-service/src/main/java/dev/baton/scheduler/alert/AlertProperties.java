package dev.baton.scheduler.alert;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Alert settings ({@code baton.scheduler.alerts.*}).
 *
 * @param channels channels every job's alerts go to, besides the job's own {@code alerts}
 * @param consecutiveFailures how many executions of a job in a row must fail for good before a
 *        CONSECUTIVE_FAILURES alert, unless the job's {@code alertPolicy} says otherwise
 * @param maxPerHour the most alerts a job sends to one channel in an hour, unless the job's {@code alertPolicy}
 *        says otherwise; more are recorded as SUPPRESSED
 * @param maxAttempts how many times a delivery is tried before it is given up as FAILED
 * @param retryBackoff the longest wait before a delivery's first retry; each retry waits up to twice the one before
 * @param maxRetryBackoff the longest wait before any retry of a delivery
 * @param sendTimeout how long one delivery (a webhook's answer, an SMTP exchange) may take
 * @param pollInterval how often each replica looks for alerts to send
 * @param batchSize the most alerts one replica claims at once
 * @param mailFrom the sender of alert emails
 */
@Validated
@ConfigurationProperties("baton.scheduler.alerts")
record AlertProperties(
        @DefaultValue @Valid List<AlertChannel> channels,
        @DefaultValue("3") @Min(2) @Max(1000) int consecutiveFailures,
        @DefaultValue("20") @Min(1) @Max(10_000) int maxPerHour,
        @DefaultValue("8") @Min(1) @Max(100) int maxAttempts,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("10m") Duration maxRetryBackoff,
        @DefaultValue("10s") Duration sendTimeout,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("50") @Positive int batchSize,
        @DefaultValue("baton@localhost") @NotBlank String mailFrom) {}
