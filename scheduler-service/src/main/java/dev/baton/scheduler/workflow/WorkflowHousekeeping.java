package dev.baton.scheduler.workflow;

import static dev.baton.scheduler.sql.Sql.at;

import dev.baton.scheduler.SchedulerProperties;
import java.time.Clock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Cluster-wide housekeeping of runs, each task on one replica at a time under ShedLock: failing the
 * running nodes whose execution was deleted with its job (possible only for a run of a definition
 * that no longer names the job), and deleting runs past the history's retention.
 */
@Component
class WorkflowHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(WorkflowHousekeeping.class);

    private final WorkflowRuns runs;
    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final SchedulerProperties properties;

    WorkflowHousekeeping(
            WorkflowRuns runs,
            JdbcClient jdbc,
            TransactionOperations transactions,
            Clock clock,
            SchedulerProperties properties) {
        this.runs = runs;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    @Scheduled(
            fixedDelayString =
                    "#{@'baton.scheduler-dev.baton.scheduler.SchedulerProperties'.sweepInterval().toMillis()}")
    @SchedulerLock(name = "workflow-sweep", lockAtMostFor = "PT1M")
    void sweep() {
        int orphaned = transactions.execute(transaction -> runs.failOrphaned(clock.instant()));
        if (orphaned > 0) {
            log.info("Failed the nodes of {} workflow run(s) whose executions were deleted with their jobs", orphaned);
        }
    }

    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT10S")
    @SchedulerLock(name = "workflow-retention", lockAtMostFor = "PT10M")
    void retention() {
        int deleted = jdbc.sql("""
                delete from workflow_run where finished_at < :before""")
                .param("before", at(clock.instant().minus(properties.historyRetention())))
                .update();
        if (deleted > 0) {
            log.info(
                    "Deleted {} workflow run(s) older than the history retention of {}",
                    deleted,
                    properties.historyRetention());
        }
    }
}
