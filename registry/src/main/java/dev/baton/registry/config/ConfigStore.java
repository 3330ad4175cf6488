package dev.baton.registry.config;

import dev.baton.registry.changes.Changes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Namespaced keys with versions and full history, in PostgreSQL. A write holds its namespace's
 * row while it checks its precondition, takes the namespace's next index and records the version
 * in the history, all in one transaction that also announces the namespace's topic.
 */
@Repository
class ConfigStore {

    private static final String COLUMNS = "namespace, key, value, content_type, version, modify_index, updated_at";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Changes changes;

    ConfigStore(JdbcClient jdbc, TransactionTemplate transactions, Changes changes) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.changes = changes;
    }

    /** The topic of a namespace's keys. */
    static String topic(String namespace) {
        return "config:" + namespace;
    }

    /** Writes a value when the precondition holds, else throws {@link PreconditionFailed}. */
    ConfigEntry put(String namespace, String key, String value, String contentType, Precondition precondition) {
        return transactions.execute(status -> {
            long index = jdbc.sql("""
                    insert into config_namespace (name, modify_index) values (:namespace, nextval('config_index'))
                    on conflict (name) do update set modify_index = nextval('config_index')
                    returning modify_index""")
                    .param("namespace", namespace)
                    .query(Long.class)
                    .single();
            Long current = currentVersion(namespace, key);
            if (!precondition.allows(current)) {
                throw new PreconditionFailed(current);
            }
            long version = lastVersion(namespace, key) + 1;
            ConfigEntry entry = jdbc.sql("""
                    insert into config_entry (namespace, key, value, content_type, version, modify_index, updated_at)
                    values (:namespace, :key, :value, :contentType, :version, :index, now())
                    on conflict (namespace, key) do update set value = excluded.value,
                        content_type = excluded.content_type, version = excluded.version,
                        modify_index = excluded.modify_index, updated_at = excluded.updated_at
                    returning\s""" + COLUMNS)
                    .param("namespace", namespace)
                    .param("key", key)
                    .param("value", value)
                    .param("contentType", contentType)
                    .param("version", version)
                    .param("index", index)
                    .query(this::entry)
                    .single();
            jdbc.sql("""
                    insert into config_history (namespace, key, version, value, content_type, changed_at)
                    values (:namespace, :key, :version, :value, :contentType, now())""")
                    .param("namespace", namespace)
                    .param("key", key)
                    .param("version", version)
                    .param("value", value)
                    .param("contentType", contentType)
                    .update();
            changes.announce(topic(namespace));
            return entry;
        });
    }

    /**
     * Deletes a key when the precondition holds, else throws {@link PreconditionFailed}; false
     * when there was nothing to delete.
     */
    boolean delete(String namespace, String key, Precondition precondition) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Optional<Long> index = jdbc.sql("""
                    update config_namespace set modify_index = nextval('config_index') where name = :namespace
                    returning modify_index""")
                    .param("namespace", namespace)
                    .query(Long.class)
                    .optional();
            Long current = index.isPresent() ? currentVersion(namespace, key) : null;
            if (!precondition.allows(current)) {
                throw new PreconditionFailed(current);
            }
            if (current == null) {
                status.setRollbackOnly();
                return false;
            }
            jdbc.sql("delete from config_entry where namespace = :namespace and key = :key")
                    .param("namespace", namespace)
                    .param("key", key)
                    .update();
            jdbc.sql("""
                    insert into config_history (namespace, key, version, value, content_type, changed_at)
                    values (:namespace, :key, :version, null, null, now())""")
                    .param("namespace", namespace)
                    .param("key", key)
                    .param("version", current + 1)
                    .update();
            changes.announce(topic(namespace));
            return true;
        }));
    }

    /** A key, with the index to wait from: its own, or its namespace's when it does not exist. */
    EntryRead get(String namespace, String key) {
        List<ConfigEntry> found = new ArrayList<>();
        long[] index = {0};
        jdbc.sql("""
                select coalesce(e.modify_index, n.modify_index, 0) as index, e.namespace, e.key, e.value,
                       e.content_type, e.version, e.modify_index, e.updated_at
                from (select 1) one
                left join config_namespace n on n.name = :namespace
                left join config_entry e on e.namespace = n.name and e.key = :key""").param("namespace", namespace).param("key", key).query(rs -> {
            index[0] = rs.getLong("index");
            if (rs.getString("key") != null) {
                found.add(entry(rs, 0));
            }
        });
        return new EntryRead(index[0], found.stream().findFirst());
    }

    /** Every key of a namespace, in key order, and its index (0 when it was never written). */
    NamespaceRead namespace(String namespace) {
        long index = jdbc.sql("select modify_index from config_namespace where name = :namespace")
                .param("namespace", namespace)
                .query(Long.class)
                .optional()
                .orElse(0L);
        return new NamespaceRead(index, entries(List.of(namespace)));
    }

    /** Namespaces whose names start with {@code prefix}, after {@code cursor}, in name order. */
    List<NamespaceSummary> namespaces(String prefix, String cursor, int limit) {
        return jdbc.sql("""
                select n.name, n.modify_index,
                       (select count(*) from config_entry e where e.namespace = n.name) as keys
                  from config_namespace n
                 where starts_with(n.name, :prefix) and n.name > :cursor
                 order by n.name
                 limit :limit""")
                .param("prefix", prefix)
                .param("cursor", cursor)
                .param("limit", limit)
                .query((rs, row) ->
                        new NamespaceSummary(rs.getString("name"), rs.getLong("keys"), rs.getLong("modify_index")))
                .list();
    }

    /** Every key of these namespaces, by namespace and key. */
    List<ConfigEntry> entries(List<String> namespaces) {
        return jdbc.sql("select " + COLUMNS + " from config_entry where namespace = any(:namespaces) "
                        + "order by namespace, key")
                .param("namespaces", namespaces.toArray(String[]::new))
                .query(this::entry)
                .list();
    }

    /** A key's versions, newest first. */
    List<Version> history(String namespace, String key, int limit) {
        return jdbc.sql("""
                select version, value, content_type, changed_at from config_history
                where namespace = :namespace and key = :key order by version desc limit :limit""")
                .param("namespace", namespace)
                .param("key", key)
                .param("limit", limit)
                .query((rs, row) -> new Version(
                        rs.getLong("version"),
                        rs.getString("value"),
                        rs.getString("content_type"),
                        rs.getTimestamp("changed_at").toInstant(),
                        rs.getString("value") == null))
                .list();
    }

    private Long currentVersion(String namespace, String key) {
        return jdbc.sql("select version from config_entry where namespace = :namespace and key = :key")
                .param("namespace", namespace)
                .param("key", key)
                .query(Long.class)
                .optional()
                .orElse(null);
    }

    private long lastVersion(String namespace, String key) {
        return jdbc.sql(
                        "select coalesce(max(version), 0) from config_history where namespace = :namespace and key = :key")
                .param("namespace", namespace)
                .param("key", key)
                .query(Long.class)
                .single();
    }

    private ConfigEntry entry(ResultSet rs, int row) throws SQLException {
        return new ConfigEntry(
                rs.getString("namespace"),
                rs.getString("key"),
                rs.getString("value"),
                rs.getString("content_type"),
                rs.getLong("version"),
                rs.getLong("modify_index"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
