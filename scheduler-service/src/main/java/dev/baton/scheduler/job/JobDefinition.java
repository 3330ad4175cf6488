package dev.baton.scheduler.job;

import dev.baton.common.web.ResourceName;
import dev.baton.scheduler.alert.AlertChannel;
import dev.baton.scheduler.alert.AlertPolicy;
import dev.baton.scheduler.routing.Routing;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A job as the API takes it and stores it. Absent optional fields take their defaults in
 * {@link #withDefaults()}; rules that span fields are checked by {@link JobValidator}.
 *
 * @param name a unique name
 * @param schedule when it runs
 * @param target what it calls
 * @param routing how an execution picks the target service's instances
 * @param routingKey the key of {@code CONSISTENT_HASH} routing; the job's name when absent
 * @param shards the number of calls of a {@code SHARDED} execution
 * @param timeoutMs how long an attempt may take, or pass without a heartbeat once a worker accepted it
 * @param retry how failed attempts are retried
 * @param misfire what happens to a trigger found late after downtime
 * @param concurrency what happens when a trigger comes while an execution still runs
 * @param enabled false to create it paused
 * @param alerts the channels its alerts go to, besides those of {@code baton.scheduler.alerts.channels}
 * @param alertPolicy its own alert settings, for those it does not take from {@code baton.scheduler.alerts.*}
 */
public record JobDefinition(
        @ResourceName String name,
        @NotNull @Valid Schedule schedule,
        @NotNull @Valid Target target,
        Routing routing,
        @Size(min = 1, max = 200) String routingKey,
        @Min(1) @Max(1000) Integer shards,
        @Min(1) @Max(86_400_000) Long timeoutMs,
        @Valid Retry retry,
        Misfire misfire,
        Concurrency concurrency,
        Boolean enabled,
        @Size(max = 10) List<@Valid AlertChannel> alerts,
        @Valid AlertPolicy alertPolicy) {

    static final long DEFAULT_TIMEOUT_MS = 60_000;

    /** The same job with every absent optional field set to its default. */
    public JobDefinition withDefaults() {
        return new JobDefinition(
                name,
                schedule,
                target.withDefaults(),
                routing == null ? Routing.ROUND_ROBIN : routing,
                routingKey == null ? name : routingKey,
                shards == null ? 1 : shards,
                timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs,
                retry == null ? Retry.NONE : retry.withDefaults(),
                misfire == null ? Misfire.FIRE_NOW : misfire,
                concurrency == null ? Concurrency.ALLOW : concurrency,
                enabled == null || enabled,
                alerts == null ? List.of() : alerts,
                alertPolicy);
    }

    /** The same job, enabled or paused. */
    JobDefinition withEnabled(boolean on) {
        return new JobDefinition(
                name,
                schedule,
                target,
                routing,
                routingKey,
                shards,
                timeoutMs,
                retry,
                misfire,
                concurrency,
                on,
                alerts,
                alertPolicy);
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    /** What happens to a scheduled trigger found later than the misfire threshold. */
    public enum Misfire {
        /** Run it once now; later triggers follow the schedule from now on. */
        FIRE_NOW,
        /** Record it as skipped; later triggers follow the schedule from now on. */
        SKIP
    }

    /** What happens when a trigger comes while an execution of the job still runs, as a Kubernetes CronJob. */
    public enum Concurrency {
        ALLOW,
        FORBID,
        REPLACE
    }

    /** The kinds of schedule. */
    public enum ScheduleType {
        CRON,
        FIXED_RATE,
        FIXED_DELAY,
        ONCE
    }

    /**
     * When a job runs.
     *
     * @param type the kind
     * @param cron a Spring cron expression (six fields, seconds first) or a macro such as {@code @daily}, for CRON
     * @param zone the time zone of CRON, UTC when absent
     * @param intervalMs the interval of FIXED_RATE and FIXED_DELAY
     * @param at the moment of ONCE
     * @param startAt no trigger before it
     * @param endAt no trigger after it
     */
    public record Schedule(
            @NotNull ScheduleType type,
            @Size(max = 200) String cron,
            @Size(max = 100) String zone,
            @Min(1) Long intervalMs,
            Instant at,
            Instant startAt,
            Instant endAt) {}

    /**
     * What an execution calls: a registered {@code service} and a {@code path}, or an absolute {@code url}.
     *
     * @param method POST (the default) or PUT
     * @param body the JSON sent
     */
    public record Target(
            @Size(min = 1, max = 200) @Pattern(regexp = "[A-Za-z0-9._:/-]+")
            String service,

            @Size(max = 2000) @Pattern(regexp = "/[^\\s]*") String path,
            @Size(max = 2000) String url,
            @Pattern(regexp = "POST|PUT") String method,
            JsonNode body) {

        Target withDefaults() {
            return new Target(
                    service, service != null && path == null ? "/" : path, url, method == null ? "POST" : method, body);
        }
    }

    /**
     * How failed attempts are retried: attempt n+1 waits {@code backoffMs * multiplier^(n-1)}, at
     * most {@code maxBackoffMs}.
     *
     * @param maxAttempts attempts in all, 1 for no retry
     */
    public record Retry(
            @Min(1) @Max(100) Integer maxAttempts,
            @PositiveOrZero @Max(86_400_000) Long backoffMs,
            @DecimalMin("1.0") @DecimalMax("10.0") Double multiplier,
            @PositiveOrZero @Max(86_400_000) Long maxBackoffMs) {

        static final Retry NONE = new Retry(1, 1000L, 2.0, 60_000L);

        Retry withDefaults() {
            return new Retry(
                    maxAttempts == null ? 1 : maxAttempts,
                    backoffMs == null ? 1000 : backoffMs,
                    multiplier == null ? 2.0 : multiplier,
                    maxBackoffMs == null ? 60_000 : maxBackoffMs);
        }

        /** The wait before the attempt that follows {@code failures} failed ones; null when none may follow. */
        public Duration backoffAfter(int failures) {
            if (failures >= maxAttempts) {
                return null;
            }
            double wait = backoffMs * Math.pow(multiplier, Math.max(0, failures - 1));
            return Duration.ofMillis((long) Math.min(wait, maxBackoffMs));
        }
    }
}
