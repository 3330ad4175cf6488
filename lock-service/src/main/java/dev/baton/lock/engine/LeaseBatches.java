package dev.baton.lock.engine;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs lease calls, batching those that wait at the same moment into one call of
 * {@code lease_batch} (migration {@code V5__lease_batches.sql}): one round trip, one transaction
 * and one commit for all of them. A call's own thread runs it: when a lane is free it takes every
 * call waiting, its own among them, and runs them as one batch, again until none wait; otherwise
 * it waits for a running batch to answer it. A batch, even of one call, never waits for a
 * resource another session holds: such a call, and every call of a batch that failed, runs again
 * alone on its own thread, outside the lanes, as its own function.
 */
final class LeaseBatches {

    private static final Logger log = LoggerFactory.getLogger(LeaseBatches.class);

    /** Batches run at once: each holds one connection for one round trip. */
    static final int LANES = 2;

    /** The most calls in a batch: each is a subtransaction, and more than 64 would overflow its cache. */
    static final int MAX_BATCH = 32;

    /** The value a batch answers for a call it could not run. */
    private static final List<LeaseStore.Outcome> ALONE = List.of();

    /** A batch's columns after the call, the kind and the name: lease_batch's parameters, in order. */
    enum Column {
        IDS("uuid"), OWNERS("text"), MODES("text"), PERMITS("integer"), LIMITS("integer"), TTLS("bigint"),
        WAITS("bigint"), SCOPES("text"), REQUEST_IDS("text"), FINGERPRINTS("text"), VALUES("text"),
        REPLICAS("uuid"), FLAGS("boolean");

        private final String type;

        Column(String type) {
            this.type = type;
        }
    }

    /** A lease function: its name in a batch, and which columns carry its arguments after kind and name. */
    enum Function {
        ACQUIRE("acquire", Column.IDS, Column.OWNERS, Column.MODES, Column.PERMITS, Column.LIMITS, Column.TTLS,
                Column.WAITS, Column.SCOPES, Column.REQUEST_IDS, Column.FINGERPRINTS, Column.VALUES, Column.REPLICAS),
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

    /** One call: the function, the resource, the function's other arguments, and its answer to come. */
    record Call(Function function, ResourceKey key, Object[] args, CompletableFuture<List<LeaseStore.Outcome>> rows) {

        Call(Function function, ResourceKey key, Object... args) {
            this(function, key, args, new CompletableFuture<>());
        }
    }

    private static final String BATCH = "select * from lease_batch(?::text[], ?::text[], ?::text[]"
            + Arrays.stream(Column.values()).map(column -> ", ?::" + column.type + "[]").collect(Collectors.joining())
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
                .description("Lease calls per round trip to the database").register(meters);
    }

    /** Runs the call, in a batch with others that wait at the same moment; answers its rows. */
    List<LeaseStore.Outcome> run(Call call) {
        waiting.add(call);
        lead();
        List<LeaseStore.Outcome> rows = await(call);
        return rows == ALONE ? alone(call) : rows;
    }

    /** While a lane is free and calls wait, takes them all and runs them as batches. */
    private void lead() {
        do {
            if (!lanes.tryAcquire()) {
                return;
            }
            try {
                for (List<Call> batch = take(); !batch.isEmpty(); batch = take()) {
                    execute(batch);
                }
            } finally {
                lanes.release();
            }
            // A call queued after the last take, while every lane was busy, would wait for nobody.
        } while (!waiting.isEmpty());
    }

    private List<Call> take() {
        List<Call> batch = new ArrayList<>();
        for (Call call = waiting.poll(); call != null; call = batch.size() < MAX_BATCH ? waiting.poll() : null) {
            batch.add(call);
        }
        return batch;
    }

    private List<LeaseStore.Outcome> await(Call call) {
        while (true) {
            try {
                return call.rows().get(1, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                lead();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while a lease call ran");
            }
        }
    }

    private void execute(List<Call> batch) {
        sizes.record(batch.size());
        Map<Integer, List<LeaseStore.Outcome>> answers;
        try {
            answers = jdbc.sql(BATCH).params(columns(batch)).query((rs, row) -> new Numbered(rs.getInt("call"),
                    outcome.mapRow(rs, row))).list().stream().collect(Collectors.groupingBy(Numbered::call,
                            Collectors.mapping(Numbered::outcome, Collectors.toList())));
        } catch (RuntimeException e) {
            log.debug("A batch of {} lease calls failed; each runs again alone: {}", batch.size(), e.toString());
            batch.forEach(call -> call.rows().complete(ALONE));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            List<LeaseStore.Outcome> rows = answers.getOrDefault(i + 1, ALONE);
            boolean busy = rows.size() == 1 && rows.get(0).what() == LeaseStore.What.BUSY;
            batch.get(i).rows().complete(busy ? ALONE : rows);
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

    private record Numbered(int call, LeaseStore.Outcome outcome) {
    }
}
