package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.instant;
import static dev.baton.scheduler.sql.Sql.texts;

import dev.baton.scheduler.alert.Alerts;
import dev.baton.scheduler.job.DueTimes;
import dev.baton.scheduler.job.Schedules;
import dev.baton.scheduler.workflow.WorkflowRuns;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every change of a running execution: the outcome of its calls, a worker's report or heartbeat,
 * a timeout, or the loss of its replica. Each change is guarded by the execution's status and
 * attempt in the statement itself, so a late or repeated report of an attempt that was already
 * settled, retried or recovered changes nothing: an execution completes once. The verdict that
 * ends a workflow node's execution moves its run on in the same transaction ({@link WorkflowRuns}),
 * so that no replica's death between the two can lose or repeat a node.
 */
@Repository
class Transitions {

    private static final String SETTLE = """
            update execution e
               set status = v.status, failures = v.failures, due_at = coalesce(v.due_at, e.due_at), replica = null,
                   deadline_at = null, finished_at = case when v.status = 'PENDING' then null else :now::timestamptz end,
                   result = v.result, error = v.error
              from unnest(:ids::bigint[], :attempts::int[], :statuses::text[], :failures::int[], :dueAts::timestamptz[],
                          :results::text[], :errors::text[])
                   as v(id, attempt, status, failures, due_at, result, error)
             where e.id = v.id and e.attempt = v.attempt and e.status = 'RUNNING'
            returning e.id""";

    /**
     * The verdicts of a batch of outcomes ({@link #SETTLE}) and their calls, in one statement: the
     * calls of an outcome whose workers accepted to report later, and of one whose verdict applied.
     */
    private static final String SETTLE_AND_RECORD_CALLS = """
            with settled as (%s),
            calls as (
                insert into execution_attempt (execution_id, attempt, shard_index, shard_total, instance_id, status,
                                               dispatched_at, finished_at, result, error)
                select c.* from unnest(:callIds::bigint[], :callAttempts::int[], :shardIndexes::int[], :shardTotals::int[],
                                       :instanceIds::text[], :callStatuses::text[], :dispatchedAts::timestamptz[],
                                       :finishedAts::timestamptz[], :callResults::text[], :callErrors::text[])
                       as c(execution_id, attempt, shard_index, shard_total, instance_id, status, dispatched_at,
                            finished_at, result, error)
                 where c.execution_id = any(:accepted) or c.execution_id in (select id from settled)
                on conflict (execution_id, attempt, shard_index) do update
                   set shard_total = excluded.shard_total, instance_id = excluded.instance_id,
                       dispatched_at = excluded.dispatched_at)
            select id from settled""".formatted(SETTLE);

    private static final String LOCK = """
            select e.id, e.job_id, e.scheduled_at, e.trigger, e.status, e.attempt, e.failures, e.due_at, e.replica,
                   e.traceparent, e.workflow_run, e.workflow_node, e.upstream::text as upstream,
                   j.definition::text as definition, j.version
              from execution e join job j on j.id = e.job_id
             where e.id = :id
               for update of e""";

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;
    private final JsonMapper json;
    private final Definitions definitions;
    private final NextTriggers nextTriggers;
    private final Alerts alerts;
    private final WorkflowRuns workflowRuns;
    private final Clock clock;
    private final MeterRegistry meters;

    Transitions(
            JdbcClient jdbc,
            TransactionOperations transactions,
            JsonMapper json,
            Definitions definitions,
            NextTriggers nextTriggers,
            Alerts alerts,
            WorkflowRuns workflowRuns,
            Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.definitions = definitions;
        this.nextTriggers = nextTriggers;
        this.alerts = alerts;
        this.workflowRuns = workflowRuns;
        this.clock = clock;
        this.meters = meters;
    }

    /** The outcome of the calls of a claimed execution. */
    record Outcome(Claimed execution, List<CallResult> calls) {

        boolean accepted() {
            return calls.stream().anyMatch(CallResult::accepted);
        }
    }

    /** A verdict on one attempt of an execution. */
    private record Settled(Claimed execution, Verdict verdict) {}

    /** Records the outcomes of a batch of executions in one transaction. */
    public void record(List<Outcome> outcomes) {
        transactions.executeWithoutResult(transaction -> recordInTransaction(outcomes));
    }

    private void recordInTransaction(List<Outcome> outcomes) {
        Instant now = clock.instant();
        List<Settled> settled = new ArrayList<>();
        List<Outcome> accepted = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.accepted()) {
                accepted.add(outcome);
            } else {
                settled.add(new Settled(
                        outcome.execution(),
                        Verdict.of(
                                outcome.execution().job(),
                                outcome.execution().failures(),
                                outcome.calls(),
                                now,
                                json)));
            }
        }
        Set<Long> applied = settleAndRecordCalls(settled, outcomes, accepted, now);
        followVerdicts(settled, applied, now);
        for (Outcome outcome : accepted.stream()
                .sorted(Comparator.comparingLong(o -> o.execution().id()))
                .toList()) {
            handOver(outcome.execution(), now);
        }
    }

    /**
     * A worker reports the end of a call it accepted with 202. The report settles only the attempt
     * it names: one of an earlier attempt changes nothing, whatever runs now.
     */
    public Report complete(long id, int attempt, int shardIndex, boolean succeeded, String result, String error) {
        return transactions.execute(
                transaction -> completeInTransaction(id, attempt, shardIndex, succeeded, result, error));
    }

    private Report completeInTransaction(
            long id, int attempt, int shardIndex, boolean succeeded, String result, String error) {
        Optional<Locked> locked = lock(id);
        if (locked.isEmpty()) {
            return Report.UNKNOWN;
        }
        Claimed execution = locked.get().execution();
        if (attempt != execution.attempt()) {
            return Report.OTHER_ATTEMPT;
        }
        if (locked.get().status() != ExecutionStatus.RUNNING) {
            return Report.ALREADY_FINAL;
        }
        Instant now = clock.instant();
        int written = jdbc.sql("""
                insert into execution_attempt (execution_id, attempt, shard_index, status, finished_at, result, error)
                values (:id, :attempt, :shardIndex, :status, :now, :result, :error)
                on conflict (execution_id, attempt, shard_index) do update
                   set status = excluded.status, finished_at = excluded.finished_at, result = excluded.result,
                       error = excluded.error
                 where execution_attempt.status = 'ACCEPTED'""")
                .param("id", id)
                .param("attempt", execution.attempt())
                .param("shardIndex", shardIndex)
                .param("status", (succeeded ? AttemptStatus.SUCCEEDED : AttemptStatus.FAILED).name())
                .param("now", at(now))
                .param("result", result)
                .param("error", error)
                .update();
        if (written == 0) {
            return Report.ALREADY_FINAL;
        }
        if (!locked.get().onReplica()) {
            settleFromCalls(execution, now);
        }
        return Report.RECORDED;
    }

    /** A worker keeps an accepted call alive: the deadline moves to a timeout from now. Empty when not running. */
    public Optional<Instant> heartbeat(long id, Integer attempt) {
        return transactions.execute(transaction -> jdbc.sql("""
                        update execution e
                           set deadline_at = greatest(e.deadline_at, :now + j.timeout_ms * interval '1 millisecond')
                          from job j
                         where j.id = e.job_id and e.id = :id and e.status = 'RUNNING'
                           and (:attempt::int is null or e.attempt = :attempt)
                        returning e.deadline_at""")
                .param("now", at(clock.instant()))
                .param("id", id)
                .param("attempt", attempt)
                .query((rs, n) -> instant(rs, "deadline_at"))
                .optional());
    }

    /**
     * Puts the executions of replicas that stopped heartbeating back in the queue, due now; returns
     * how many. Heartbeats are judged on the database's clock, as they are stamped, never on this
     * replica's.
     */
    public int recoverOrphans(Duration replicaTimeout) {
        return transactions.execute(transaction -> {
            Instant now = clock.instant();
            int recovered = jdbc.sql("""
                    update execution e set status = 'PENDING', due_at = :now, replica = null, deadline_at = null
                     where e.status = 'RUNNING' and e.replica is not null
                       and not exists (select 1 from replica r where r.id = e.replica
                                          and r.heartbeat_at > clock_timestamp() - :timeoutMs * interval '1 millisecond')""")
                    .param("now", at(now))
                    .param("timeoutMs", replicaTimeout.toMillis())
                    .update();
            if (recovered > 0) {
                DueTimes.announce(jdbc, now);
            }
            return recovered;
        });
    }

    /**
     * Fails the attempts that workers accepted and did not report past their deadline and
     * {@code grace}; returns how many. An attempt a live replica still calls is that replica's to
     * settle: its calls end by their timeout, and its outcome is written however long the database
     * refuses it, so a call that succeeded is never failed here while its outcome waits.
     */
    public int timeOut(Duration grace, int limit) {
        return transactions.execute(transaction -> timeOutInTransaction(grace, limit));
    }

    private int timeOutInTransaction(Duration grace, int limit) {
        Instant now = clock.instant();
        List<Long> late = jdbc.sql("""
                select id from execution where status = 'RUNNING' and replica is null and deadline_at < :before
                 order by id limit :limit for update skip locked""")
                .param("before", at(now.minus(grace)))
                .param("limit", limit)
                .query(Long.class)
                .list();
        for (long id : late) {
            Claimed execution = lock(id).orElseThrow().execution();
            jdbc.sql("""
                    update execution_attempt set status = 'TIMED_OUT', finished_at = :now, error = 'no report before the deadline'
                     where execution_id = :id and attempt = :attempt and status = 'ACCEPTED'""")
                    .param("now", at(now))
                    .param("id", id)
                    .param("attempt", execution.attempt())
                    .update();
            jdbc.sql("""
                    insert into execution_attempt (execution_id, attempt, shard_index, shard_total, status, finished_at, error)
                    select :id, :attempt, 0, 1, 'TIMED_OUT', :now, 'no answer before the deadline'
                     where not exists (select 1 from execution_attempt where execution_id = :id and attempt = :attempt)""")
                    .param("id", id)
                    .param("attempt", execution.attempt())
                    .param("now", at(now))
                    .update();
            settleFromCalls(execution, now);
        }
        return late.size();
    }

    /** An execution locked for a change, with its status and whether a replica is still calling its workers. */
    private record Locked(Claimed execution, ExecutionStatus status, boolean onReplica) {}

    private Optional<Locked> lock(long id) {
        return jdbc.sql(LOCK)
                .param("id", id)
                .query((rs, n) -> new Locked(
                        Claimed.of(rs, definitions, json),
                        ExecutionStatus.valueOf(rs.getString("status")),
                        rs.getString("replica") != null))
                .optional();
    }

    /** Records the calls of an execution some of whose workers accepted to report later, and hands it to them. */
    private void handOver(Claimed execution, Instant now) {
        Optional<Locked> locked = lock(execution.id());
        if (locked.isEmpty()
                || locked.get().status() != ExecutionStatus.RUNNING
                || locked.get().execution().attempt() != execution.attempt()) {
            return;
        }
        jdbc.sql("""
                update execution set replica = null where id = :id""").param("id", execution.id()).update();
        settleFromCalls(execution, now);
    }

    /** Settles an attempt once every one of its calls has a final status. */
    private void settleFromCalls(Claimed execution, Instant now) {
        List<CallResult> calls = jdbc.sql("""
                select shard_index, shard_total, instance_id, status, result, error, dispatched_at, finished_at
                  from execution_attempt where execution_id = :id and attempt = :attempt order by shard_index""")
                .param("id", execution.id())
                .param("attempt", execution.attempt())
                .query((rs, n) -> new CallResult(
                        rs.getInt("shard_index"),
                        rs.getInt("shard_total"),
                        rs.getString("instance_id"),
                        AttemptStatus.valueOf(rs.getString("status")),
                        rs.getString("result"),
                        rs.getString("error"),
                        instant(rs, "dispatched_at"),
                        instant(rs, "finished_at")))
                .list();
        boolean complete = !calls.isEmpty()
                && calls.stream().noneMatch(CallResult::accepted)
                && calls.stream().allMatch(call -> call.shardTotal() == calls.size());
        if (complete) {
            settle(
                    List.of(new Settled(
                            execution, Verdict.of(execution.job(), execution.failures(), calls, now, json))),
                    now);
        }
    }

    /** Applies verdicts, each only if its attempt still runs, and what follows from those applied. */
    private void settle(List<Settled> settled, Instant now) {
        Set<Long> applied = new HashSet<>(
                verdicts(jdbc.sql(SETTLE), settled, now).query(Long.class).list());
        followVerdicts(settled, applied, now);
    }

    /**
     * Applies the verdicts of a batch of outcomes, each only if its attempt still runs, and records
     * the calls of those applied and of those accepted; returns the executions whose verdict applied.
     */
    private Set<Long> settleAndRecordCalls(
            List<Settled> settled, List<Outcome> outcomes, List<Outcome> accepted, Instant now) {
        List<Long> ids = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        List<CallResult> calls = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            for (CallResult call : outcome.calls()) {
                ids.add(outcome.execution().id());
                attempts.add(outcome.execution().attempt());
                calls.add(call);
            }
        }
        return new HashSet<>(verdicts(jdbc.sql(SETTLE_AND_RECORD_CALLS), settled, now)
                .param("callIds", ids.stream().mapToLong(Long::longValue).toArray())
                .param(
                        "callAttempts",
                        attempts.stream().mapToInt(Integer::intValue).toArray())
                .param(
                        "shardIndexes",
                        calls.stream().mapToInt(CallResult::shardIndex).toArray())
                .param(
                        "shardTotals",
                        calls.stream().mapToInt(CallResult::shardTotal).toArray())
                .param("instanceIds", texts(calls.stream().map(CallResult::instanceId)))
                .param(
                        "callStatuses",
                        texts(calls.stream().map(call -> call.status().name())))
                .param("dispatchedAts", texts(calls.stream().map(call -> text(call.dispatchedAt()))))
                .param("finishedAts", texts(calls.stream().map(call -> text(call.finishedAt()))))
                .param("callResults", texts(calls.stream().map(CallResult::result)))
                .param("callErrors", texts(calls.stream().map(CallResult::error)))
                .param(
                        "accepted",
                        accepted.stream()
                                .mapToLong(outcome -> outcome.execution().id())
                                .toArray())
                .query(Long.class)
                .list());
    }

    /** Binds the parameters of {@link #SETTLE}. */
    private static JdbcClient.StatementSpec verdicts(
            JdbcClient.StatementSpec statement, List<Settled> settled, Instant now) {
        return statement
                .param("now", at(now))
                .param(
                        "ids",
                        settled.stream().mapToLong(s -> s.execution().id()).toArray())
                .param(
                        "attempts",
                        settled.stream().mapToInt(s -> s.execution().attempt()).toArray())
                .param(
                        "statuses",
                        texts(settled.stream().map(s -> s.verdict().status().name())))
                .param(
                        "failures",
                        settled.stream().mapToInt(s -> s.verdict().failures()).toArray())
                .param(
                        "dueAts",
                        texts(settled.stream().map(s -> text(s.verdict().dueAt()))))
                .param("results", texts(settled.stream().map(s -> s.verdict().result())))
                .param("errors", texts(settled.stream().map(s -> s.verdict().error())));
    }

    /**
     * What follows the verdicts applied: each scheduled trigger's successor, the alerts, the
     * workflow runs of the nodes that ended, and the announcement of the earliest retry.
     */
    private void followVerdicts(List<Settled> settled, Set<Long> applied, Instant now) {
        List<NextTriggers.Next> next = new ArrayList<>();
        List<Alerts.Ended> ended = new ArrayList<>();
        List<WorkflowRuns.NodeEnded> nodesEnded = new ArrayList<>();
        Instant retry = null;
        for (Settled s : settled) {
            if (!applied.contains(s.execution().id())) {
                continue;
            }
            if (s.verdict().isFinal()) {
                ended.add(ended(s));
                if (s.execution().node() != null) {
                    nodesEnded.add(nodeEnded(s));
                }
            }
            meters.counter(
                            "baton.scheduler.attempts.settled",
                            "outcome",
                            s.verdict().isFinal() ? s.verdict().status().name() : "RETRIED")
                    .increment();
            if (!s.verdict().isFinal()) {
                retry = retry == null || s.verdict().dueAt().isBefore(retry)
                        ? s.verdict().dueAt()
                        : retry;
            } else if (s.execution().scheduled()) {
                Instant following =
                        Schedules.afterCompletion(s.execution().job().schedule(), now);
                if (following != null) {
                    next.add(new NextTriggers.Next(
                            s.execution().jobId(), s.execution().jobVersion(), following));
                }
            }
        }
        nextTriggers.add(next);
        alerts.record(ended);
        workflowRuns.ended(nodesEnded, now);
        if (retry != null) {
            DueTimes.announce(jdbc, retry);
        }
    }

    private WorkflowRuns.NodeEnded nodeEnded(Settled s) {
        Claimed.Node node = s.execution().node();
        return new WorkflowRuns.NodeEnded(
                node.runId(),
                node.nodeId(),
                s.execution().id(),
                s.verdict().status() == ExecutionStatus.SUCCEEDED,
                Results.parse(s.verdict().result(), json));
    }

    private static Alerts.Ended ended(Settled s) {
        Claimed execution = s.execution();
        ExecutionStatus status = s.verdict().status();
        return new Alerts.Ended(
                execution.jobId(),
                execution.job().name(),
                execution.job().alerts(),
                execution.job().alertPolicy(),
                execution.id(),
                switch (status) {
                    case SUCCEEDED -> Alerts.Ending.SUCCEEDED;
                    case TIMED_OUT -> Alerts.Ending.TIMED_OUT;
                    default -> Alerts.Ending.FAILED;
                },
                status.name(),
                execution.attempt(),
                s.verdict().error());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
