package dev.baton.registry.keys;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the audit log that every service writes to the shared {@code baton_keys} schema, and ages it out. */
@Component
class AuditStore {

    /** The days ahead whose partitions are made in advance, so that a week without a sweep costs nothing. */
    private static final int DAYS_AHEAD = 7;

    private final JdbcClient jdbc;

    AuditStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The log's index: the newest entry's id, 0 before the first. */
    long newest() {
        return jdbc.sql("select coalesce(max(id), 0) from baton_keys.audit")
                .query(Long.class)
                .single();
    }

    /** Entries newest first. */
    List<AuditEntry> find(AuditQuery filter, int limit) {
        return jdbc.sql("""
                select id, at, key_name, method, kind, name, status, remote_address
                from baton_keys.audit
                where (cast(:keyName as text) is null or key_name = :keyName)
                  and (cast(:kind as text) is null or kind = :kind)
                  and (cast(:name as text) is null or name = :name)
                  and (cast(:since as timestamptz) is null or at >= :since)
                  and (cast(:until as timestamptz) is null or at < :until)
                  and (cast(:before as bigint) is null or id < :before)
                order by id desc
                limit :limit
                """)
                .param("keyName", filter.keyName())
                .param("kind", filter.kind())
                .param("name", filter.name())
                .param("since", filter.since() == null ? null : Timestamp.from(filter.since()))
                .param("until", filter.until() == null ? null : Timestamp.from(filter.until()))
                .param("before", filter.before())
                .param("limit", limit)
                .query((rs, row) -> new AuditEntry(
                        rs.getLong("id"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("key_name"),
                        rs.getString("method"),
                        rs.getString("kind"),
                        rs.getString("name"),
                        rs.getInt("status"),
                        rs.getString("remote_address")))
                .list();
    }

    /**
     * Makes the partitions of the week ahead, drops each day's partition once the whole day is
     * older than {@code retention} (on the database's clock), and returns how many it dropped.
     */
    int dropOlderThan(Duration retention) {
        return jdbc.sql("select baton_keys.audit_partitions(make_interval(secs => :seconds), :ahead)")
                .param("seconds", (double) retention.toSeconds())
                .param("ahead", DAYS_AHEAD)
                .query(Integer.class)
                .single();
    }
}
