package dev.baton.lock.engine;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs lease calls, batching those that wait at the same moment into one call of
 * {@code lease_batch} (migrations {@code V5__lease_batches.sql} and
 * {@code V7__lean_lease_calls.sql}): one round trip, one transaction and one commit for all of
 * them. A call's own thread runs it: when a lane is free it takes every call waiting, its own
 * among them, and runs them as one batch, again until its own is answered; otherwise it waits
 * for a running batch to answer it. A batch, even of one call, never waits for a
 * resource another session holds: such a call, and every call of a batch that PostgreSQL
 * refused, runs again alone on its own thread, outside the lanes, as its own function. When the
 * connection fails instead, every call of the batch fails, as a call alone would.
 */
final class LeaseBatches {

    private static final Logger log = LoggerFactory.getLogger(LeaseBatches.class);

    /** Batches run at once: each holds one connection for one round trip. */
    static final int LANES = 2;

    /**
     * The most calls in a batch: a batch holds the advisory lock of each call's resource until it
     * commits, and its first calls wait for its last.
     */
    static final int MAX_BATCH = 32;

    /**
     * The longest a waiting call sleeps before it looks at its answer and the lanes again, though
     * nobody woke it: long enough that waiting calls cost no CPU under load.
     */
    private static final long RECHECK = TimeUnit.MILLISECONDS.toNanos(50);

    /** The value a batch answers for a call it could not run. */
    private static final List<LeaseStore.Outcome> ALONE = List.of();

    /** A batch's columns after the call, the kind and the name: lease_batch's parameters, in order. */
    enum Column {
        IDS("uuid"),
        OWNERS("text"),
        MODES("text"),
        PERMITS("integer"),
        LIMITS("integer"),
        TTLS("bigint"),
        WAITS("bigint"),
        SCOPES("text"),
        REQUEST_IDS("text"),
        FINGERPRINTS("text"),
        VALUES("text"),
        REPLICAS("uuid"),
        FLAGS("boolean");

        private final String type;

        Column(String type) {
            this.type = type;
        }
    }

    /** A lease function: its name in a batch, and which columns carry its arguments after kind and name. */
    enum Function {
        ACQUIRE(
                "acquire",
                Column.IDS,
                Column.OWNERS,
                Column.MODES,
                Column.PERMITS,
                Column.LIMITS,
                Column.TTLS,
                Column.WAITS,
                Column.SCOPES,
                Column.REQUEST_IDS,
                Column.FINGERPRINTS,
                Column.VALUES,
                Column.REPLICAS),
        RENEW("renew", Column.IDS, Column.TTLS),
        RELEASE("release", Column.IDS),
        WITHDRAW("withdraw", Column.IDS, Column.FLAGS),
        FORCE_RELEASE("force_release"),
        RECONCILE("reconcile");

        private final String op;
        private final List<Column> columns;
        private final String alone;

        Function(String op, Column... columns) {
            this.op = op;
            this.columns = List.of(columns);
            this.alone = "select * from lease_" + op + "(?, ?" + ", ?".repeat(columns.length) + ")";
        }
    }

    /**
     * One call: the function, the resource, the function's other arguments, the thread that waits
     * for it, and its answer to come.
     */
    record Call(
            Function function,
            ResourceKey key,
            Object[] args,
            Thread owner,
            CompletableFuture<List<LeaseStore.Outcome>> rows) {

        Call(Function function, ResourceKey key, Object... args) {
            this(function, key, args, Thread.currentThread(), new CompletableFuture<>());
        }
    }

    private static final String BATCH = "select * from lease_batch(?::text[], ?::text[], ?::text[]"
            + Arrays.stream(Column.values())
                    .map(column -> ", ?::" + column.type + "[]")
                    .collect(Collectors.joining())
            + ")";

    private final JdbcClient jdbc;
    private final RowMapper<LeaseStore.Outcome> outcome;
    private final Queue<Call> waiting = new ConcurrentLinkedQueue<>();
    private final Semaphore lanes = new Semaphore(LANES);
    private final DistributionSummary sizes;

    LeaseBatches(JdbcClient jdbc, RowMapper<LeaseStore.Outcome> outcome, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.outcome = outcome;
        this.sizes = DistributionSummary.builder("baton.lease.batch.calls")
                .description("Lease calls per round trip to the database")
                .register(meters);
    }

    /** Runs the call, in a batch with others that wait at the same moment; answers its rows. */
    List<LeaseStore.Outcome> run(Call call) {
        waiting.add(call);
        lead(call);
        List<LeaseStore.Outcome> rows = await(call);
        return rows == ALONE ? alone(call) : rows;
    }

    /**
     * While the call is not answered and a lane is free, takes every call waiting and runs them
     * as batches. A leader stops once its own call is answered, so no thread serves others for
     * ever under steady load; it wakes the owner of the next call waiting, which leads in turn.
     */
    private void lead(Call own) {
        while (!own.rows().isDone() && lanes.tryAcquire()) {
            boolean ran = false;
            try {
                for (List<Call> batch = take();
                        !batch.isEmpty();
                        batch = own.rows().isDone() ? List.of() : take()) {
                    execute(batch);
                    ran = true;
                }
            } finally {
                lanes.release();
            }
            Call next = waiting.peek();
            if (next != null) {
                LockSupport.unpark(next.owner());
            }
            if (!ran) {
                // The call is in another lane's batch.
                return;
            }
        }
    }

    private List<Call> take() {
        List<Call> batch = new ArrayList<>();
        for (Call call = waiting.poll(); call != null; call = batch.size() < MAX_BATCH ? waiting.poll() : null) {
            batch.add(call);
        }
        return batch;
    }

    /**
     * Waits for the call's answer, leading when woken while it still waits. Whoever answers the
     * call wakes it, and a leader that leaves its lane wakes the owner of the next call waiting;
     * the wait is bounded all the same, by {@link #RECHECK}. An interrupt does not end the wait:
     * the call may already be in a batch on its way, and its answer (a grant, say) must reach the
     * engine, as a call's own blocking round trip would; the interrupt is kept for the caller.
     */
    private List<LeaseStore.Outcome> await(Call call) {
        boolean interrupted = false;
        while (!call.rows().isDone()) {
            LockSupport.parkNanos(this, RECHECK);
            interrupted |= Thread.interrupted();
            lead(call);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            return call.rows().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private static void answer(Call call, List<LeaseStore.Outcome> rows) {
        call.rows().complete(rows);
        LockSupport.unpark(call.owner());
    }

    private static void fail(Call call, RuntimeException error) {
        call.rows().completeExceptionally(error);
        LockSupport.unpark(call.owner());
    }

    private void execute(List<Call> batch) {
        sizes.record(batch.size());
        Map<Integer, List<LeaseStore.Outcome>> answers;
        try {
            answers = jdbc
                    .sql(BATCH)
                    .params(columns(batch))
                    .query((rs, row) -> new Numbered(rs.getInt("call"), outcome.mapRow(rs, row)))
                    .list()
                    .stream()
                    .collect(Collectors.groupingBy(
                            Numbered::call, Collectors.mapping(Numbered::outcome, Collectors.toList())));
        } catch (DataAccessResourceFailureException
                | TransientDataAccessResourceException
                | RecoverableDataAccessException e) {
            // The connection failed: whether the batch committed is unknown, so no call runs again.
            batch.forEach(call -> fail(call, e));
            return;
        } catch (DataAccessException e) {
            // PostgreSQL refused the batch, which so changed nothing.
            log.debug("A batch of {} lease calls failed; each runs again alone: {}", batch.size(), e.toString());
            batch.forEach(call -> answer(call, ALONE));
            return;
        } catch (RuntimeException e) {
            // The batch ran, but its answer could not be read: no call may run again.
            batch.forEach(call -> fail(call, e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            List<LeaseStore.Outcome> rows = answers.get(i + 1);
            if (rows == null) {
                fail(
                        batch.get(i),
                        new IllegalStateException(
                                "lease_batch answered nothing for call " + (i + 1) + " of " + batch.size()));
            } else {
                boolean busy = rows.size() == 1 && rows.get(0).what() == LeaseStore.What.BUSY;
                answer(batch.get(i), busy ? ALONE : rows);
            }
        }
    }

    private List<LeaseStore.Outcome> alone(Call call) {
        Object[] args = new Object[call.args().length + 2];
        args[0] = call.key().kind().name();
        args[1] = call.key().name();
        System.arraycopy(call.args(), 0, args, 2, call.args().length);
        return jdbc.sql(call.function().alone).params(args).query(outcome).list();
    }

    /** lease_batch's arguments: the functions, kinds and names, then each column, null where a function has none. */
    private static Object[] columns(List<Call> batch) {
        int size = batch.size();
        String[] ops = new String[size];
        String[] kinds = new String[size];
        String[] names = new String[size];
        Object[][] columns = new Object[Column.values().length][size];
        for (int i = 0; i < size; i++) {
            Call call = batch.get(i);
            ops[i] = call.function().op;
            kinds[i] = call.key().kind().name();
            names[i] = call.key().name();
            List<Column> used = call.function().columns;
            for (int arg = 0; arg < used.size(); arg++) {
                Object value = call.args()[arg];
                columns[used.get(arg).ordinal()][i] = value == null ? null : value.toString();
            }
        }
        Object[] args = new Object[3 + columns.length];
        args[0] = ops;
        args[1] = kinds;
        args[2] = names;
        for (int column = 0; column < columns.length; column++) {
            args[3 + column] = Arrays.copyOf(columns[column], size, String[].class);
        }
        return args;
    }

    private record Numbered(int call, LeaseStore.Outcome outcome) {}
}
