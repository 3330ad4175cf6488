package dev.baton.scheduler;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Scheduler settings ({@code baton.scheduler.*}).
 *
 * @param batchSize the most executions one claim takes
 * @param maxInFlight the most worker calls one replica has open at once
 * @param pollInterval the longest a replica sleeps without looking for due executions, should a wake-up be lost:
 *        the dispatch loop sleeps until the next due time, and this is only its safety-net poll
 * @param misfireThreshold how late a scheduled trigger may be claimed before its misfire policy applies
 * @param replicaHeartbeat how often a replica proves it is alive
 * @param replicaTimeout how long a replica may go without a heartbeat before its executions are recovered; at
 *        least twice {@code replicaHeartbeat}
 * @param sweepInterval how often timed-out and orphaned executions are looked for (one replica at a time)
 * @param timeoutGrace how long past its deadline a call a worker accepted (202) waits for its report before it fails
 * @param historyRetention how long finished executions are kept
 * @param maxResultSize the most of a result or error that is stored; the rest is cut off
 * @param shutdownWait how long a stopping replica waits for its calls in flight before leaving them to recovery
 */
@Validated
@ConfigurationProperties("baton.scheduler")
public record SchedulerProperties(
        @DefaultValue("200") @Positive int batchSize,
        @DefaultValue("1000") @Positive int maxInFlight,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("5s") Duration misfireThreshold,
        @DefaultValue("1s") Duration replicaHeartbeat,
        @DefaultValue("5s") Duration replicaTimeout,
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("2s") Duration timeoutGrace,
        @DefaultValue("7d") Duration historyRetention,
        @DefaultValue("64KB") DataSize maxResultSize,
        @DefaultValue("10s") Duration shutdownWait) {

    /** Whether a replica's executions are recovered no sooner than two missed heartbeats. */
    @AssertTrue(message = "replica-timeout must be at least twice replica-heartbeat")
    public boolean isReplicaTimeoutTwiceTheHeartbeat() {
        return replicaTimeout.compareTo(replicaHeartbeat.multipliedBy(2)) >= 0;
    }
}
