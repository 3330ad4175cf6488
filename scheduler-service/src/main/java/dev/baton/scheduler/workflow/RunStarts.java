package dev.baton.scheduler.workflow;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.instant;
import static dev.baton.scheduler.sql.Sql.texts;

import dev.baton.scheduler.SchedulerProperties;
import dev.baton.scheduler.job.JobDefinition;
import dev.baton.scheduler.job.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts due runs, as {@code Claims} starts due executions: one statement claims the earliest due
 * runs with {@code FOR UPDATE SKIP LOCKED}, so replicas never wait for each other nor start the
 * same run, and marks them RUNNING with the definition they run. In the same transaction it adds
 * each scheduled run's successor, applies the workflow's misfire policy to runs found late, and its
 * concurrency policy under a transaction-scoped advisory lock per workflow, so that two replicas
 * cannot both start an exclusive workflow; then it adds the started runs' nodes and the executions
 * of those that no edge leads into ({@link WorkflowRuns#start}).
 */
@Repository
class RunStarts {

    private static final String CLAIM = """
            update workflow_run r
               set status = 'RUNNING', started_at = :now, definition = w.definition, workflow_version = w.version
              from (select id from workflow_run
                     where status = 'PENDING' and due_at <= :now
                     order by due_at
                     limit :limit
                       for update skip locked) as due, workflow w
             where r.id = due.id and w.id = r.workflow_id
            returning r.id, r.workflow_id, r.trigger, r.scheduled_at, r.due_at, r.definition::text as definition,
                      w.version, w.exclusive""";

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final JsonMapper json;
    private final NextRuns nextRuns;
    private final WorkflowRuns runs;
    private final Duration misfireThreshold;

    RunStarts(
            JdbcClient jdbc,
            TransactionOperations transactions,
            JsonMapper json,
            NextRuns nextRuns,
            WorkflowRuns runs,
            SchedulerProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.nextRuns = nextRuns;
        this.runs = runs;
        this.misfireThreshold = properties.misfireThreshold();
    }

    /** A claimed run, before the policies decide whether it starts. */
    private record ClaimedRun(RunStore.Run run, Instant scheduledAt, Instant dueAt, boolean exclusive) {

        boolean scheduled() {
            return run.trigger() == RunTrigger.SCHEDULE;
        }

        JobDefinition.Schedule schedule() {
            return run.definition().schedule();
        }
    }

    /** Starts up to {@code limit} due runs; returns how many were due, started or skipped. */
    int start(Instant now, int limit) {
        return transactions.execute(transaction -> startInTransaction(now, limit));
    }

    private int startInTransaction(Instant now, int limit) {
        List<ClaimedRun> claimed = jdbc.sql(CLAIM)
                .param("now", at(now))
                .param("limit", limit)
                .query((rs, n) -> new ClaimedRun(
                        new RunStore.Run(
                                rs.getLong("id"),
                                rs.getObject("workflow_id", UUID.class),
                                RunTrigger.valueOf(rs.getString("trigger")),
                                rs.getLong("version"),
                                json.readValue(rs.getString("definition"), WorkflowDefinition.class)),
                        instant(rs, "scheduled_at"),
                        instant(rs, "due_at"),
                        rs.getBoolean("exclusive")))
                .list();
        if (claimed.isEmpty()) {
            return 0;
        }
        List<NextRuns.Next> next = new ArrayList<>();
        Map<Long, String> skipped = new LinkedHashMap<>();
        for (ClaimedRun run : claimed) {
            if (!run.scheduled() || run.schedule() == null) {
                continue;
            }
            Instant following = Schedules.next(run.schedule(), run.scheduledAt(), now);
            if (following != null) {
                next.add(new NextRuns.Next(run.run().workflowId(), run.run().workflowVersion(), following));
            }
            Duration late = Duration.between(run.dueAt(), now);
            if (run.run().definition().misfire() == JobDefinition.Misfire.SKIP
                    && late.compareTo(misfireThreshold) > 0) {
                skipped.put(run.run().id(), "misfired: started " + late.toMillis() + " ms after it was due");
            }
        }
        exclusive(claimed, skipped, now);
        for (ClaimedRun run : claimed) {
            if (skipped.containsKey(run.run().id()) && run.scheduled() && run.schedule() != null) {
                Instant following = Schedules.afterCompletion(run.schedule(), now);
                if (following != null) {
                    next.add(new NextRuns.Next(run.run().workflowId(), run.run().workflowVersion(), following));
                }
            }
        }
        nextRuns.add(next);
        if (!skipped.isEmpty()) {
            skip(skipped, now);
        }
        runs.start(
                claimed.stream()
                        .map(ClaimedRun::run)
                        .filter(run -> !skipped.containsKey(run.id()))
                        .toList(),
                now);
        return claimed.size();
    }

    /** The earliest due time of a pending run, or null. */
    Instant nextDue() {
        return jdbc.sql("""
                select min(due_at) as due from workflow_run where status = 'PENDING'""").query((rs, n) -> instant(rs, "due")).optional().orElse(null);
    }

    /**
     * FORBID skips a run while another run of its workflow runs; REPLACE cancels the running ones,
     * with their nodes and those nodes' executions. Of several claimed at once for one workflow, the
     * earliest wins.
     */
    private void exclusive(List<ClaimedRun> claimed, Map<Long, String> skipped, Instant now) {
        Map<UUID, List<ClaimedRun>> byWorkflow = claimed.stream()
                .filter(ClaimedRun::exclusive)
                .filter(run -> !skipped.containsKey(run.run().id()))
                .collect(Collectors.groupingBy(run -> run.run().workflowId()));
        for (UUID workflow : byWorkflow.keySet().stream().sorted().toList()) {
            jdbc.sql("""
                    select pg_advisory_xact_lock(hashtextextended(:workflow, 0))""")
                    .param("workflow", workflow.toString())
                    .query((rs, n) -> null)
                    .list();
            List<ClaimedRun> ours = byWorkflow.get(workflow).stream()
                    .sorted(Comparator.comparing(ClaimedRun::scheduledAt))
                    .toList();
            ClaimedRun first = ours.get(0);
            JobDefinition.Concurrency concurrency = first.run().definition().concurrency();
            ours.stream()
                    .skip(1)
                    .forEach(later -> skipped.put(
                            later.run().id(),
                            "skipped: run " + first.run().id() + " of the workflow runs (concurrency " + concurrency
                                    + ")"));
            long[] ids = ours.stream().mapToLong(run -> run.run().id()).toArray();
            List<Long> running = jdbc.sql("""
                            select id from workflow_run where workflow_id = :workflow and status = 'RUNNING' and id <> all(:ours)
                             order by id for update""")
                    .param("workflow", workflow)
                    .param("ours", ids)
                    .query(Long.class)
                    .list();
            if (running.isEmpty()) {
                continue;
            }
            if (concurrency == JobDefinition.Concurrency.FORBID) {
                skipped.put(
                        first.run().id(),
                        "skipped: run " + running.get(0) + " of the workflow still runs (concurrency FORBID)");
            } else {
                cancel(running, "cancelled: replaced by run " + first.run().id() + " (concurrency REPLACE)", now);
            }
        }
    }

    /** Cancels running runs, their nodes that have not ended, and those nodes' executions. */
    private void cancel(List<Long> cancelled, String reason, Instant now) {
        long[] ids = cancelled.stream().mapToLong(Long::longValue).toArray();
        jdbc.sql("""
                update execution set status = 'CANCELLED', finished_at = :now, replica = null, deadline_at = null,
                       error = :error
                 where workflow_run = any(:runs) and status in ('PENDING', 'RUNNING')""")
                .param("now", at(now))
                .param("error", reason)
                .param("runs", ids)
                .update();
        jdbc.sql("""
                update workflow_run_node set status = 'CANCELLED'
                 where run_id = any(:runs) and status in ('PENDING', 'RUNNING')""").param("runs", ids).update();
        jdbc.sql("""
                update workflow_run set status = 'CANCELLED', finished_at = :now, error = :error where id = any(:runs)""")
                .param("now", at(now))
                .param("error", reason)
                .param("runs", ids)
                .update();
    }

    private void skip(Map<Long, String> skipped, Instant now) {
        List<Map.Entry<Long, String>> entries = new ArrayList<>(skipped.entrySet());
        jdbc.sql("""
                update workflow_run r set status = 'SKIPPED', finished_at = :now, error = s.reason
                  from unnest(:ids::bigint[], :reasons::text[]) as s(id, reason)
                 where r.id = s.id""")
                .param("now", at(now))
                .param("ids", entries.stream().mapToLong(Map.Entry::getKey).toArray())
                .param("reasons", texts(entries.stream().map(Map.Entry::getValue)))
                .update();
    }
}
