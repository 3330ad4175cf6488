package dev.baton.scheduler.log;

import dev.baton.common.events.Watches;
import dev.baton.common.web.BlockingQuery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Executions' logs: the batches of lines workers send for their attempts, each attempt's log kept
 * up to {@code baton.scheduler.logs.max-attempt-size}, and the log read in pages by {@code seq} as
 * a blocking query. A batch wakes the blocking queries of this replica on its execution at once;
 * {@link LogWatch} wakes them on lines that other replicas wrote. Nothing here runs on the
 * dispatch path.
 */
@Service
class ExecutionLogs {

    /** How a batch was taken. */
    enum Outcome {
        WRITTEN,
        /** No execution has the id. */
        UNKNOWN,
        /** The attempt has not started. */
        NOT_STARTED,
        /** The attempt's log had reached its cap before: nothing was kept. */
        FULL
    }

    /**
     * What became of a batch.
     *
     * @param accepted the lines the attempt's log keeps
     * @param dropped the lines past the attempt's cap, not kept
     * @param currentAttempt the execution's latest attempt
     */
    record Appended(Outcome outcome, int accepted, int dropped, int currentAttempt) {}

    /** A page and the log's index it was read at: the seq of the execution's last line. */
    record Indexed(long index, LogPage page) {}

    private final LogStore store;
    private final TransactionOperations transactions;
    private final Watches logWatches;
    private final long maxAttemptBytes;

    ExecutionLogs(LogStore store, TransactionOperations transactions, Watches logWatches, LogProperties properties) {
        this.store = store;
        this.transactions = transactions;
        this.logWatches = logWatches;
        this.maxAttemptBytes = properties.maxAttemptSize().toBytes();
    }

    /** The topic of an execution's log among the blocking queries. */
    static String topic(long executionId) {
        return Long.toString(executionId);
    }

    /**
     * Adds the lines to the attempt's log, in their order, as far as its cap leaves room: once a
     * line does not fit, it and every later line of the attempt are dropped, and a TRUNCATED line
     * marks where.
     */
    Appended append(long executionId, int attempt, int shardIndex, List<LoggedLine> lines) {
        Appended appended = transactions.execute(transaction -> {
            store.lock(executionId);
            Optional<LogStore.Room> found = store.room(executionId, attempt);
            if (found.isEmpty()) {
                return new Appended(Outcome.UNKNOWN, 0, 0, 0);
            }
            LogStore.Room room = found.get();
            if (attempt > room.currentAttempt()) {
                return new Appended(Outcome.NOT_STARTED, 0, 0, room.currentAttempt());
            }
            if (room.truncated()) {
                return new Appended(Outcome.FULL, 0, lines.size(), room.currentAttempt());
            }
            List<LogStore.NewLine> kept = new ArrayList<>();
            long bytes = 0;
            for (LoggedLine line : lines) {
                long size = line.text().getBytes(StandardCharsets.UTF_8).length;
                if (room.bytes() + bytes + size > maxAttemptBytes) {
                    break;
                }
                bytes += size;
                kept.add(new LogStore.NewLine(LineKind.LINE, line.at(), line.text()));
            }
            int accepted = kept.size();
            boolean truncated = accepted < lines.size();
            if (truncated) {
                kept.add(new LogStore.NewLine(
                        LineKind.TRUNCATED,
                        null,
                        "The log of attempt " + attempt + " reached its cap of " + maxAttemptBytes
                                + " bytes (baton.scheduler.logs.max-attempt-size): its later lines are dropped."));
            }
            store.append(executionId, attempt, shardIndex, kept, accepted, bytes, truncated);
            return new Appended(Outcome.WRITTEN, accepted, lines.size() - accepted, room.currentAttempt());
        });
        if (appended.outcome() == Outcome.WRITTEN) {
            logWatches.wake(topic(executionId));
        }
        return appended;
    }

    /**
     * The lines after {@code after}, at most {@code limit}, read now when the log's index is past
     * the query's, else once a line is written or the execution ends, or the wait passes. A
     * finished execution's log answers at once: its worker has sent its lines. Empty when no
     * execution has the id.
     */
    CompletableFuture<Optional<Indexed>> watch(long executionId, BlockingQuery query, long after, int limit) {
        return logWatches.watch(
                topic(executionId),
                query,
                () -> read(executionId, after, limit),
                found -> found.filter(indexed -> !indexed.page().finished())
                        .map(Indexed::index)
                        .orElse(Long.MAX_VALUE));
    }

    private Optional<Indexed> read(long executionId, long after, int limit) {
        return store.head(executionId).map(head -> {
            List<LogLine> items = store.lines(executionId, after, head.lastSeq(), limit);
            String nextCursor =
                    items.size() == limit && items.get(items.size() - 1).seq() < head.lastSeq()
                            ? String.valueOf(items.get(items.size() - 1).seq())
                            : null;
            return new Indexed(
                    head.lastSeq(),
                    new LogPage(
                            executionId,
                            head.attempt(),
                            head.finished(),
                            store.attempts(executionId),
                            items,
                            nextCursor));
        });
    }
}
