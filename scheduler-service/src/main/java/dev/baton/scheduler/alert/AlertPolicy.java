package dev.baton.scheduler.alert;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A job's own alert settings; each absent one takes its {@code baton.scheduler.alerts.*} default.
 *
 * @param consecutiveFailures how many executions in a row must fail for good before a CONSECUTIVE_FAILURES alert
 * @param maxPerHour the most alerts a job sends to one channel in an hour; more are recorded as SUPPRESSED
 */
public record AlertPolicy(
        @Min(2) @Max(1000) Integer consecutiveFailures,
        @Min(1) @Max(10_000) Integer maxPerHour) {}
