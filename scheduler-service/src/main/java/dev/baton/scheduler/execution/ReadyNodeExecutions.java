package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.texts;

import dev.baton.scheduler.job.DueTimes;
import dev.baton.scheduler.workflow.NodeExecutions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adds the executions of ready workflow nodes, with their upstream nodes' results as their input,
 * and claims them in the insert itself, as the dispatch loop's claim would mark them: RUNNING,
 * attempt 1, this replica's, with a deadline, each under a permit of the replica's {@link Room}.
 * It leaves PENDING, and announces, the executions of exclusive jobs (FORBID, REPLACE), which the
 * loop's claim applies the concurrency policy to, and those it has no room for. Once the
 * transaction commits, the dispatcher calls the claimed ones' workers on the committing thread; if
 * it rolls back, nothing was added and the permits go back. A replica that dies in between leaves
 * them RUNNING under its id, and they are recovered with the replica's other executions.
 *
 * <p>A node's execution takes a scheduled time of its own (its job's executions are unique per
 * scheduled time), a microsecond after the one before; one that another execution of its job holds
 * already is tried again a batch later. A job being deleted waits for this transaction (key share
 * lock), and a node whose job is gone gets no execution.
 */
@Component
class ReadyNodeExecutions implements NodeExecutions {

    private static final String ADD = """
            with jobs as (
                select id, exclusive, timeout_ms, definition, version from job
                 where id = any(:jobIds::uuid[])
                 order by id
                   for key share),
            ready as (
                select r.*, j.timeout_ms,
                       not j.exclusive and row_number() over (partition by j.exclusive order by r.ord) <= :permits as claimed
                  from unnest(:jobs::uuid[], :ats::timestamptz[], :runs::bigint[], :nodes::text[], :upstreams::jsonb[])
                       with ordinality as r(job_id, at, run_id, node_id, upstream, ord)
                  join jobs j on j.id = r.job_id),
            added as (
                insert into execution (job_id, scheduled_at, trigger, status, due_at, workflow_run, workflow_node, upstream,
                                       attempt, replica, started_at, deadline_at)
                select r.job_id, r.at, 'WORKFLOW', case when r.claimed then 'RUNNING' else 'PENDING' end, r.at,
                       r.run_id, r.node_id,
                       (select coalesce(jsonb_object_agg(u.node_id, coalesce(u.result, 'null'::jsonb)), '{}'::jsonb)
                          from workflow_run_node u
                         where u.run_id = r.run_id and u.node_id in (select jsonb_array_elements_text(r.upstream))),
                       case when r.claimed then 1 else 0 end,
                       case when r.claimed then :replica end,
                       case when r.claimed then :now::timestamptz end,
                       case when r.claimed then :now::timestamptz + r.timeout_ms * interval '1 millisecond' end
                  from ready r
                on conflict (job_id, scheduled_at) do nothing
                returning *)
            select %s, e.status
              from added e join jobs j on j.id = e.job_id""".formatted(Claimed.COLUMNS);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Definitions definitions;
    private final Replica replica;
    private final Room room;
    private volatile BiConsumer<List<Claimed>, Instant> dispatcher;

    ReadyNodeExecutions(JdbcClient jdbc, JsonMapper json, Definitions definitions, Replica replica, Room room) {
        this.jdbc = jdbc;
        this.json = json;
        this.definitions = definitions;
        this.replica = replica;
        this.room = room;
    }

    /** Sets what calls the workers of the executions claimed, once their transaction commits. */
    void dispatchWith(BiConsumer<List<Claimed>, Instant> dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** An execution just added: claimed by this replica, or left due. */
    private record Added(Ready node, Claimed execution, boolean claimed) {}

    @Override
    public Map<Ready, Long> add(List<Ready> ready, Instant now) {
        BiConsumer<List<Claimed>, Instant> dispatch = dispatcher;
        boolean canClaim = dispatch != null && TransactionSynchronizationManager.isSynchronizationActive();
        int permits = canClaim ? room.take(ready.size()) : 0;
        List<Added> added = new ArrayList<>();
        try {
            insert(ready, permits, now, added);
        } catch (RuntimeException | Error e) {
            room.give(permits);
            throw e;
        }
        List<Claimed> claimed =
                added.stream().filter(Added::claimed).map(Added::execution).toList();
        room.give(permits - claimed.size());
        if (!claimed.isEmpty()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        dispatch.accept(claimed, now);
                    } else {
                        room.give(claimed.size());
                    }
                }
            });
        }
        if (claimed.size() < added.size()) {
            DueTimes.announce(jdbc, now);
        }
        Map<Ready, Long> executions = new HashMap<>();
        added.forEach(execution ->
                executions.put(execution.node(), execution.execution().id()));
        return executions;
    }

    /** Inserts the executions, a batch again for those whose scheduled time was taken, until each is added or its job gone. */
    private void insert(List<Ready> ready, int permits, Instant now, List<Added> added) {
        Instant first = now.truncatedTo(ChronoUnit.MICROS);
        int claimed = 0;
        List<Ready> left = ready;
        for (int round = 0; !left.isEmpty(); round++) {
            List<Added> inserted =
                    insert(left, first.plus((long) round * ready.size(), ChronoUnit.MICROS), permits - claimed, now);
            added.addAll(inserted);
            claimed += (int) inserted.stream().filter(Added::claimed).count();
            Set<Ready> done = new HashSet<>();
            inserted.forEach(execution -> done.add(execution.node()));
            List<Ready> missing =
                    left.stream().filter(node -> !done.contains(node)).toList();
            Set<UUID> jobs = existingJobs(missing.stream().map(Ready::jobId).toList());
            left = missing.stream().filter(node -> jobs.contains(node.jobId())).toList();
        }
    }

    /** One insert: the nodes' scheduled times from {@code from}, a microsecond apart, the first {@code permits} claimed. */
    private List<Added> insert(List<Ready> nodes, Instant from, int permits, Instant now) {
        Map<List<Object>, Ready> byNode = new HashMap<>();
        nodes.forEach(node -> byNode.put(List.of(node.runId(), node.nodeId()), node));
        return jdbc.sql(ADD)
                .param(
                        "jobIds",
                        texts(nodes.stream()
                                .map(node -> node.jobId().toString())
                                .distinct()))
                .param("jobs", texts(nodes.stream().map(node -> node.jobId().toString())))
                .param(
                        "ats",
                        texts(IntStream.range(0, nodes.size())
                                .mapToObj(i -> from.plus(i, ChronoUnit.MICROS).toString())))
                .param("runs", nodes.stream().mapToLong(Ready::runId).toArray())
                .param("nodes", texts(nodes.stream().map(Ready::nodeId)))
                .param("upstreams", texts(nodes.stream().map(node -> json.writeValueAsString(node.upstream()))))
                .param("permits", permits)
                .param("replica", replica.id())
                .param("now", at(now))
                .query((rs, n) -> new Added(
                        byNode.get(List.of(rs.getLong("workflow_run"), rs.getString("workflow_node"))),
                        Claimed.of(rs, definitions, json),
                        ExecutionStatus.valueOf(rs.getString("status")) == ExecutionStatus.RUNNING))
                .list();
    }

    private Set<UUID> existingJobs(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("""
                select id from job where id = any(:ids::uuid[])""")
                .param("ids", texts(ids.stream().map(UUID::toString)))
                .query(UUID.class)
                .list());
    }
}
