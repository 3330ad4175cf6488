package dev.baton.scheduler.log;

import static dev.baton.scheduler.sql.Sql.instant;
import static dev.baton.scheduler.sql.Sql.texts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The lines of executions' logs and each attempt's totals. An execution's lines are numbered from
 * 1 by {@code seq} in the order their batches commit: a batch is written under a transaction
 * advisory lock on its execution ({@link #lock}), and the statements after it see every batch
 * committed before. The lines of a batch are one {@code INSERT}.
 */
@Repository
class LogStore {

    private static final String APPEND = """
            with added as (
                insert into execution_log (execution_id, seq, attempt, shard_index, kind, logged_at, text)
                select :id, (select coalesce(max(seq), 0) from execution_log where execution_id = :id) + l.n,
                       :attempt, :shardIndex, l.kind, coalesce(l.logged_at, now()), l.text
                  from unnest(:kinds::text[], :loggedAts::timestamptz[], :texts::text[])
                       with ordinality as l(kind, logged_at, text, n)
                returning 1)
            insert into execution_log_attempt (execution_id, attempt, lines, bytes, truncated, written_at)
            values (:id, :attempt, :lines, :bytes, :truncated, now())
            on conflict (execution_id, attempt) do update
               set lines = execution_log_attempt.lines + excluded.lines,
                   bytes = execution_log_attempt.bytes + excluded.bytes,
                   truncated = execution_log_attempt.truncated or excluded.truncated,
                   written_at = excluded.written_at""";

    /**
     * An attempt's log, as far as a new batch needs it.
     *
     * @param currentAttempt the execution's latest attempt, 0 before the first
     * @param bytes the text the attempt's log keeps
     */
    record Room(int currentAttempt, long bytes, boolean truncated) {}

    /**
     * Where an execution's log is.
     *
     * @param attempt the execution's latest attempt
     * @param finished whether the execution has its final status
     * @param lastSeq the number of its last line, 0 before the first
     */
    record Head(int attempt, boolean finished, long lastSeq) {}

    /** A line to write; {@code loggedAt} null for the database's now. */
    record NewLine(LineKind kind, Instant loggedAt, String text) {}

    private final JdbcClient jdbc;

    LogStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the execution's log for the caller's transaction: batches of one execution are written
     * one at a time, each after the one before committed. The statements that follow see it, as
     * each takes its snapshot after the lock, so the lock and the writes are separate statements.
     */
    void lock(long executionId) {
        jdbc.sql("""
                select pg_advisory_xact_lock(hashtextextended('baton-execution-log', :id))""").param("id", executionId).query((rs, n) -> null).list();
    }

    /** The execution's latest attempt and what {@code attempt}'s log holds; empty when the execution is unknown. */
    Optional<Room> room(long executionId, int attempt) {
        return jdbc.sql("""
                select e.attempt, coalesce(a.bytes, 0) as bytes, coalesce(a.truncated, false) as truncated
                  from execution e
                  left join execution_log_attempt a on a.execution_id = e.id and a.attempt = :attempt
                 where e.id = :id""")
                .param("id", executionId)
                .param("attempt", attempt)
                .query((rs, n) -> new Room(rs.getInt("attempt"), rs.getLong("bytes"), rs.getBoolean("truncated")))
                .optional();
    }

    /**
     * Adds the lines, numbered after the execution's last, to the attempt's log, and {@code lines}
     * and {@code bytes} to its totals; under {@link #lock}.
     */
    void append(
            long executionId,
            int attempt,
            int shardIndex,
            List<NewLine> newLines,
            int lines,
            long bytes,
            boolean truncated) {
        jdbc.sql(APPEND)
                .param("id", executionId)
                .param("attempt", attempt)
                .param("shardIndex", shardIndex)
                .param("kinds", texts(newLines.stream().map(line -> line.kind().name())))
                .param(
                        "loggedAts",
                        texts(newLines.stream()
                                .map(line -> line.loggedAt() == null
                                        ? null
                                        : line.loggedAt().toString())))
                .param("texts", texts(newLines.stream().map(NewLine::text)))
                .param("lines", lines)
                .param("bytes", bytes)
                .param("truncated", truncated)
                .update();
    }

    /** Where the execution's log is; empty when the execution is unknown. */
    Optional<Head> head(long executionId) {
        return Optional.ofNullable(heads(List.of(executionId)).get(executionId));
    }

    /** The heads of the executions that exist among {@code executionIds}, by id. */
    Map<Long, Head> heads(List<Long> executionIds) {
        return jdbc
                .sql("""
                select e.id, e.attempt, e.finished_at is not null as finished,
                       (select coalesce(max(seq), 0) from execution_log where execution_id = e.id) as last_seq
                  from execution e
                 where e.id = any(:ids)""")
                .param("ids", executionIds.stream().mapToLong(Long::longValue).toArray())
                .query((rs, n) -> Map.entry(
                        rs.getLong("id"),
                        new Head(rs.getInt("attempt"), rs.getBoolean("finished"), rs.getLong("last_seq"))))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The execution's lines numbered from {@code after + 1} to {@code upTo}, at most {@code limit}. */
    List<LogLine> lines(long executionId, long after, long upTo, int limit) {
        return jdbc.sql("""
                select seq, attempt, shard_index, kind, logged_at, text
                  from execution_log
                 where execution_id = :id and seq > :after and seq <= :upTo
                 order by seq
                 limit :limit""")
                .param("id", executionId)
                .param("after", after)
                .param("upTo", upTo)
                .param("limit", limit)
                .query((rs, n) -> new LogLine(
                        rs.getLong("seq"),
                        rs.getInt("attempt"),
                        rs.getInt("shard_index"),
                        LineKind.valueOf(rs.getString("kind")),
                        instant(rs, "logged_at"),
                        rs.getString("text")))
                .list();
    }

    /** The totals of each attempt that logged, by attempt. */
    List<LogPage.AttemptLog> attempts(long executionId) {
        return jdbc.sql("""
                select attempt, lines, bytes, truncated
                  from execution_log_attempt
                 where execution_id = :id
                 order by attempt""")
                .param("id", executionId)
                .query((rs, n) -> new LogPage.AttemptLog(
                        rs.getInt("attempt"), rs.getInt("lines"), rs.getLong("bytes"), rs.getBoolean("truncated")))
                .list();
    }

    /**
     * Deletes up to {@code limit} attempts' logs last written more than {@code retentionMs} ago on
     * the database's clock, their lines with them; returns how many attempts.
     */
    int deleteWrittenBefore(long retentionMs, int limit) {
        return jdbc.sql("""
                with old as (
                    delete from execution_log_attempt
                     where (execution_id, attempt) in (
                               select execution_id, attempt from execution_log_attempt
                                where written_at < now() - :retentionMs * interval '1 millisecond'
                                limit :limit)
                    returning execution_id, attempt),
                lines as (
                    delete from execution_log l using old
                     where l.execution_id = old.execution_id and l.attempt = old.attempt)
                select count(*) from old""")
                .param("retentionMs", retentionMs)
                .param("limit", limit)
                .query(Integer.class)
                .single();
    }
}
