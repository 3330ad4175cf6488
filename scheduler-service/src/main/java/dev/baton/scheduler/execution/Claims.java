package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.instant;
import static dev.baton.scheduler.sql.Sql.texts;

import dev.baton.scheduler.SchedulerProperties;
import dev.baton.scheduler.alert.Alerts;
import dev.baton.scheduler.job.JobDefinition;
import dev.baton.scheduler.job.Schedules;
import dev.baton.scheduler.workflow.WorkflowRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claims due executions for this replica, db-scheduler style: one statement picks the earliest
 * due rows with {@code FOR UPDATE SKIP LOCKED}, so replicas never wait for each other nor claim
 * the same row, and marks them RUNNING with this replica's id and a deadline. In the same
 * transaction it adds each scheduled trigger's successor, applies the misfire policy to triggers
 * found late, and the concurrency policy to jobs that are not ALLOW, under a transaction-scoped
 * advisory lock per job so that two replicas cannot both start an exclusive job; a FIXED_DELAY
 * trigger skipped by either policy, or cancelled by REPLACE, adds its successor, as one that ran
 * adds it when it ends. A trigger skipped by its misfire policy raises its job's alert in that
 * transaction too, and a workflow node's
 * execution that is skipped or cancelled moves its run on in that transaction.
 */
@Repository
class Claims {

    private static final String CLAIM = """
            update execution e
               set %s
              from (select id from execution
                     where status = 'PENDING' and due_at <= :now
                     order by due_at
                     limit :limit
                       for update skip locked) as due, job j
             where e.id = due.id and j.id = e.job_id
            returning %s, j.exclusive""".formatted(Claimed.CLAIMING, Claimed.COLUMNS);

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final JsonMapper json;
    private final Definitions definitions;
    private final NextTriggers nextTriggers;
    private final Alerts alerts;
    private final WorkflowRuns workflowRuns;
    private final Duration misfireThreshold;

    Claims(
            JdbcClient jdbc,
            TransactionOperations transactions,
            JsonMapper json,
            Definitions definitions,
            NextTriggers nextTriggers,
            Alerts alerts,
            WorkflowRuns workflowRuns,
            SchedulerProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.definitions = definitions;
        this.nextTriggers = nextTriggers;
        this.alerts = alerts;
        this.workflowRuns = workflowRuns;
        this.misfireThreshold = properties.misfireThreshold();
    }

    /** A claimed row, before the policies decide whether it runs. */
    private record Row(Claimed claimed, boolean exclusive) {}

    /** An execution REPLACE cancelled; {@code run} and {@code node} are its workflow node's, or null. */
    private record Cancelled(long id, Trigger trigger, Long run, String node) {}

    /** Claims up to {@code limit} due executions; returns those to call workers for. */
    public List<Claimed> claim(String replica, Instant now, int limit) {
        return transactions.execute(transaction -> claimInTransaction(replica, now, limit));
    }

    private List<Claimed> claimInTransaction(String replica, Instant now, int limit) {
        List<Row> rows = jdbc.sql(CLAIM)
                .param("replica", replica)
                .param("now", at(now))
                .param("limit", limit)
                .query((rs, n) -> new Row(Claimed.of(rs, definitions, json), rs.getBoolean("exclusive")))
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<NextTriggers.Next> next = new ArrayList<>();
        Map<Long, String> skipped = new HashMap<>();
        List<Alerts.Ended> misfired = new ArrayList<>();
        for (Row row : rows) {
            Claimed claimed = row.claimed();
            if (!claimed.scheduled() || claimed.attempt() != 1) {
                continue;
            }
            Instant following = Schedules.next(claimed.job().schedule(), claimed.scheduledAt(), now);
            if (following != null) {
                next.add(new NextTriggers.Next(claimed.jobId(), claimed.jobVersion(), following));
            }
            if (claimed.job().misfire() == JobDefinition.Misfire.SKIP
                    && Duration.between(claimed.dueAt(), now).compareTo(misfireThreshold) > 0) {
                String reason = "misfired: claimed "
                        + Duration.between(claimed.dueAt(), now).toMillis() + " ms after it was due";
                skipped.put(claimed.id(), reason);
                misfired.add(new Alerts.Ended(
                        claimed.jobId(),
                        claimed.job().name(),
                        claimed.job().alerts(),
                        claimed.job().alertPolicy(),
                        claimed.id(),
                        Alerts.Ending.MISFIRED,
                        ExecutionStatus.SKIPPED.name(),
                        0,
                        reason));
            }
        }
        nextTriggers.add(next);
        List<WorkflowRuns.NodeEnded> nodesEnded = new ArrayList<>();
        List<NextTriggers.Next> afterCancels = new ArrayList<>();
        exclusive(rows, skipped, nodesEnded, afterCancels, now);
        nextTriggers.add(afterCancels);
        if (!skipped.isEmpty()) {
            skip(skipped, now);
            List<Claimed> skippedRows = rows.stream()
                    .map(Row::claimed)
                    .filter(claimed -> skipped.containsKey(claimed.id()))
                    .toList();
            skippedRows.stream()
                    .filter(claimed -> claimed.node() != null)
                    .forEach(claimed -> nodesEnded.add(failed(
                            claimed.id(), claimed.node().runId(), claimed.node().nodeId())));
            nextTriggers.add(afterSkips(skippedRows, now));
        }
        alerts.record(misfired);
        workflowRuns.ended(nodesEnded, now);
        return rows.stream()
                .map(Row::claimed)
                .filter(claimed -> !skipped.containsKey(claimed.id()))
                .toList();
    }

    /**
     * The triggers that follow scheduled executions skipped now: a skip ends an execution, and a
     * FIXED_DELAY schedule's next trigger comes a delay after its previous execution ended.
     */
    private static List<NextTriggers.Next> afterSkips(List<Claimed> skipped, Instant now) {
        List<NextTriggers.Next> next = new ArrayList<>();
        for (Claimed claimed : skipped) {
            Instant following = claimed.scheduled()
                    ? Schedules.afterCompletion(claimed.job().schedule(), now)
                    : null;
            if (following != null) {
                next.add(new NextTriggers.Next(claimed.jobId(), claimed.jobVersion(), following));
            }
        }
        return next;
    }

    /** The earliest due time of a pending execution, or null. */
    public Instant nextDue() {
        return jdbc.sql("""
                select min(due_at) as due from execution where status = 'PENDING'""").query((rs, n) -> instant(rs, "due")).optional().orElse(null);
    }

    /**
     * FORBID skips a trigger while another execution of its job runs; REPLACE cancels the running
     * ones, and a FIXED_DELAY schedule whose execution it cancels goes on a delay after the cancel
     * (added to {@code afterCancels}). Of several claimed at once for one job, the earliest wins.
     */
    private void exclusive(
            List<Row> rows,
            Map<Long, String> skipped,
            List<WorkflowRuns.NodeEnded> nodesEnded,
            List<NextTriggers.Next> afterCancels,
            Instant now) {
        Map<UUID, List<Claimed>> byJob = rows.stream()
                .filter(Row::exclusive)
                .map(Row::claimed)
                .filter(claimed -> !skipped.containsKey(claimed.id()))
                .collect(Collectors.groupingBy(Claimed::jobId));
        List<UUID> jobs = byJob.keySet().stream().sorted().toList();
        for (UUID job : jobs) {
            jdbc.sql("""
                    select pg_advisory_xact_lock(hashtextextended(:job, 0))""").param("job", job.toString()).query((rs, n) -> null).list();
            List<Claimed> claimed = byJob.get(job).stream()
                    .sorted(Comparator.comparing(Claimed::scheduledAt))
                    .toList();
            Set<Long> ours = new HashSet<>(claimed.stream().map(Claimed::id).toList());
            Claimed first = claimed.get(0);
            claimed.stream()
                    .skip(1)
                    .forEach(later -> skipped.put(
                            later.id(),
                            "skipped: execution " + first.id() + " of the job runs (concurrency "
                                    + first.job().concurrency() + ")"));
            if (first.job().concurrency() == JobDefinition.Concurrency.FORBID) {
                List<Long> running = jdbc.sql("""
                                select id from execution where job_id = :job and status = 'RUNNING' and id <> all(:ours)""")
                        .param("job", job)
                        .param("ours", ours.stream().mapToLong(Long::longValue).toArray())
                        .query(Long.class)
                        .list();
                if (!running.isEmpty()) {
                    skipped.put(
                            first.id(),
                            "skipped: execution " + running.get(0) + " of the job still runs (concurrency FORBID)");
                }
            } else {
                List<Cancelled> cancelled = jdbc.sql("""
                                update execution set status = 'CANCELLED', finished_at = :now, replica = null,
                                       deadline_at = null, error = :error
                                 where job_id = :job and status = 'RUNNING' and id <> all(:ours)
                                returning id, trigger, workflow_run, workflow_node""")
                        .param("now", at(now))
                        .param("error", "cancelled: replaced by execution " + first.id() + " (concurrency REPLACE)")
                        .param("job", job)
                        .param("ours", ours.stream().mapToLong(Long::longValue).toArray())
                        .query((rs, n) -> new Cancelled(
                                rs.getLong("id"),
                                Trigger.valueOf(rs.getString("trigger")),
                                rs.getObject("workflow_run", Long.class),
                                rs.getString("workflow_node")))
                        .list();
                for (Cancelled execution : cancelled) {
                    if (execution.run() != null) {
                        nodesEnded.add(failed(execution.id(), execution.run(), execution.node()));
                    }
                }
                Instant following = cancelled.stream().anyMatch(execution -> execution.trigger() == Trigger.SCHEDULE)
                        ? Schedules.afterCompletion(first.job().schedule(), now)
                        : null;
                if (following != null) {
                    afterCancels.add(new NextTriggers.Next(job, first.jobVersion(), following));
                }
            }
        }
    }

    /** A workflow node's execution that ends without running: its node fails. */
    private static WorkflowRuns.NodeEnded failed(long execution, long run, String node) {
        return new WorkflowRuns.NodeEnded(run, node, execution, false, null);
    }

    private void skip(Map<Long, String> skipped, Instant now) {
        List<Map.Entry<Long, String>> entries = new ArrayList<>(skipped.entrySet());
        jdbc.sql("""
                update execution e set status = 'SKIPPED', finished_at = :now, replica = null, deadline_at = null,
                       error = s.reason
                  from unnest(:ids::bigint[], :reasons::text[]) as s(id, reason)
                 where e.id = s.id""")
                .param("now", at(now))
                .param("ids", entries.stream().mapToLong(Map.Entry::getKey).toArray())
                .param("reasons", texts(entries.stream().map(Map.Entry::getValue)))
                .update();
    }
}
