package dev.baton.scheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Scheduler settings ({@code baton.scheduler.*}).
 *
 * @param batchSize the most executions one claim takes
 * @param maxInFlight the most worker calls one replica has open at once
 * @param pollInterval the longest a replica sleeps without looking for due executions, should a wake-up be lost
 * @param misfireThreshold how late a scheduled trigger may be claimed before its misfire policy applies
 * @param replicaHeartbeat how often a replica proves it is alive
 * @param replicaTimeout how long a replica may go without a heartbeat before its executions are recovered
 * @param sweepInterval how often timed-out and orphaned executions are looked for (one replica at a time)
 * @param timeoutGrace how long past its deadline a call a worker accepted (202) waits for its report before it fails
 * @param historyRetention how long finished executions are kept
 * @param maxResultSize the most of a result or error that is stored; the rest is cut off
 * @param shutdownWait how long a stopping replica waits for its calls in flight before leaving them to recovery
 */
@ConfigurationProperties("baton.scheduler")
public record SchedulerProperties(
        Integer batchSize,
        Integer maxInFlight,
        Duration pollInterval,
        Duration misfireThreshold,
        Duration replicaHeartbeat,
        Duration replicaTimeout,
        Duration sweepInterval,
        Duration timeoutGrace,
        Duration historyRetention,
        DataSize maxResultSize,
        Duration shutdownWait) {

    public SchedulerProperties {
        batchSize = batchSize == null ? 200 : batchSize;
        maxInFlight = maxInFlight == null ? 1000 : maxInFlight;
        pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
        misfireThreshold = misfireThreshold == null ? Duration.ofSeconds(5) : misfireThreshold;
        replicaHeartbeat = replicaHeartbeat == null ? Duration.ofSeconds(1) : replicaHeartbeat;
        replicaTimeout = replicaTimeout == null ? Duration.ofSeconds(5) : replicaTimeout;
        sweepInterval = sweepInterval == null ? Duration.ofSeconds(1) : sweepInterval;
        timeoutGrace = timeoutGrace == null ? Duration.ofSeconds(2) : timeoutGrace;
        historyRetention = historyRetention == null ? Duration.ofDays(7) : historyRetention;
        maxResultSize = maxResultSize == null ? DataSize.ofKilobytes(64) : maxResultSize;
        shutdownWait = shutdownWait == null ? Duration.ofSeconds(10) : shutdownWait;
        if (batchSize < 1 || maxInFlight < 1 || replicaTimeout.compareTo(replicaHeartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("baton.scheduler: batch-size and max-in-flight must be positive, "
                    + "and replica-timeout at least twice replica-heartbeat");
        }
    }
}
