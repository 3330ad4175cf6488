package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.at;

import dev.baton.scheduler.SchedulerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Cluster-wide housekeeping, each task on one replica at a time under ShedLock: recovering the
 * executions of replicas that died, failing attempts past their deadline, and deleting history
 * past its retention.
 */
@Component
class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    private static final int TIMEOUTS_PER_SWEEP = 500;
    private static final Duration FORGOTTEN_REPLICA = Duration.ofHours(1);

    private final Transitions transitions;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final SchedulerProperties properties;
    private final Counter recovered;
    private final Counter timedOut;

    Housekeeping(
            Transitions transitions,
            JdbcClient jdbc,
            Clock clock,
            SchedulerProperties properties,
            MeterRegistry meters) {
        this.transitions = transitions;
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.recovered = Counter.builder("baton.scheduler.executions.recovered")
                .description("Executions put back in the queue after their replica stopped heartbeating")
                .register(meters);
        this.timedOut = Counter.builder("baton.scheduler.executions.timed-out")
                .description("Execution attempts failed for running past their deadline")
                .register(meters);
    }

    @Scheduled(
            fixedDelayString =
                    "#{@'baton.scheduler-dev.baton.scheduler.SchedulerProperties'.sweepInterval().toMillis()}")
    @SchedulerLock(name = "scheduler-sweep", lockAtMostFor = "PT1M")
    void sweep() {
        int orphans = transitions.recoverOrphans(properties.replicaTimeout());
        if (orphans > 0) {
            recovered.increment(orphans);
            log.info("Recovered {} execution(s) of replicas that stopped heartbeating", orphans);
        }
        int late = transitions.timeOut(properties.timeoutGrace(), TIMEOUTS_PER_SWEEP);
        if (late > 0) {
            timedOut.increment(late);
            log.info("{} execution attempt(s) ran past their deadline", late);
        }
    }

    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT10S")
    @SchedulerLock(name = "scheduler-retention", lockAtMostFor = "PT10M")
    void retention() {
        int deleted = jdbc.sql("""
                delete from execution where finished_at < :before""")
                .param("before", at(clock.instant().minus(properties.historyRetention())))
                .update();
        jdbc.sql("""
                delete from replica where heartbeat_at < clock_timestamp() - :forgottenMs * interval '1 millisecond'""").param("forgottenMs", FORGOTTEN_REPLICA.toMillis()).update();
        if (deleted > 0) {
            log.info(
                    "Deleted {} execution(s) older than the history retention of {}",
                    deleted,
                    properties.historyRetention());
        }
    }
}
