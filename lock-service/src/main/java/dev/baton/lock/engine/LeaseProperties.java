package dev.baton.lock.engine;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the lease engine ({@code baton.leases.*}).
 *
 * @param sweepInterval how often one replica settles resources nobody touches: expired leases and dead waiters
 *        nobody waits on locally (local waiters are woken by their own timers)
 * @param replicaHeartbeat how often a replica records that it is alive
 * @param replicaTtl how long a replica counts as alive after its last heartbeat; its waiters go with it
 * @param watchPoll how often a replica with blocking queries reads their versions, to see changes of other replicas
 * @param vacuumInterval how often one replica looks at the dead rows of the lease tables
 * @param vacuumDeadRows the dead rows (ended leases and waiters, old resource versions) at which a lease table is
 *        vacuumed then, whether or not autovacuum runs
 */
@Validated
@ConfigurationProperties("baton.leases")
record LeaseProperties(
        @DefaultValue("1s") Duration sweepInterval,
        @DefaultValue("1s") Duration replicaHeartbeat,
        @DefaultValue("5s") Duration replicaTtl,
        @DefaultValue("200ms") Duration watchPoll,
        @DefaultValue("5s") Duration vacuumInterval,
        @DefaultValue("10000") @Positive long vacuumDeadRows) {}
