package dev.baton.scheduler.execution;

import static dev.baton.scheduler.sql.Sql.at;

import dev.baton.scheduler.workflow.ReadyClaims;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claims the executions of ready workflow nodes in the transaction that adds them, as the
 * dispatch loop's claim would: RUNNING, this replica's, with a deadline, each under a permit of
 * the replica's {@link Room}. It leaves the executions of exclusive jobs (FORBID, REPLACE) to the
 * loop's claim, which applies the concurrency policy, and those it has no room for. Once the
 * transaction commits, the dispatcher calls their workers on the committing thread; if it rolls
 * back, the executions are PENDING again and the permits go back. A replica that dies in between
 * leaves them RUNNING under its id, and they are recovered with the replica's other executions.
 */
@Component
class ReadyNodeClaims implements ReadyClaims {

    private static final String CLAIM = """
            update execution e
               set %s
              from (select e.id from execution e join job j on j.id = e.job_id
                     where e.id = any(:ids) and e.status = 'PENDING' and not j.exclusive
                     order by e.id
                     limit :limit
                       for update of e) as ready, job j
             where e.id = ready.id and j.id = e.job_id
            returning %s""".formatted(Claimed.CLAIMING, Claimed.COLUMNS);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Definitions definitions;
    private final Replica replica;
    private final Room room;
    private volatile BiConsumer<List<Claimed>, Instant> dispatcher;

    ReadyNodeClaims(JdbcClient jdbc, JsonMapper json, Definitions definitions, Replica replica, Room room) {
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

    @Override
    public int claim(List<Long> executions, Instant now) {
        BiConsumer<List<Claimed>, Instant> dispatch = dispatcher;
        if (dispatch == null || executions.isEmpty() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return 0;
        }
        int permits = room.take(executions.size());
        if (permits == 0) {
            return 0;
        }
        List<Claimed> claimed = List.of();
        try {
            claimed = jdbc.sql(CLAIM)
                    .param("replica", replica.id())
                    .param("now", at(now))
                    .param("ids", executions.stream().mapToLong(Long::longValue).toArray())
                    .param("limit", permits)
                    .query((rs, n) -> Claimed.of(rs, definitions, json))
                    .list();
        } finally {
            room.give(permits - claimed.size());
        }
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Claimed> ours = claimed;
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_COMMITTED) {
                    dispatch.accept(ours, now);
                } else {
                    room.give(ours.size());
                }
            }
        });
        return claimed.size();
    }
}
