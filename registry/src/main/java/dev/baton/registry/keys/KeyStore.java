package dev.baton.registry.keys;

import dev.baton.common.security.Role;
import dev.baton.registry.changes.Changes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The keys created at runtime, in the shared {@code baton_keys} schema. The table's trigger tells
 * every service of a change; this store also wakes the registry's own key feed.
 */
@Component
class KeyStore {

    /** The blocking-query topic of the key feed. */
    static final String TOPIC = "keys";

    private static final String COLUMNS =
            "id, name, sha256, roles, scopes::text as scopes, expires_at, created_at, " + "last_used_at";
    private static final TypeReference<LinkedHashMap<String, List<String>>> SCOPES = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Changes changes;
    private final JsonMapper json;

    KeyStore(JdbcClient jdbc, TransactionTemplate transactions, Changes changes, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.changes = changes;
        this.json = json;
    }

    Key create(String name, String sha256, Set<Role> roles, Map<String, List<String>> scopes, Instant expiresAt) {
        try {
            return transactions.execute(status -> {
                Key key = jdbc.sql("""
                        insert into baton_keys.api_keys (id, name, sha256, roles, scopes, expires_at)
                        values (:id, :name, :sha256, :roles::text[], :scopes::jsonb, :expiresAt)
                        returning\s""" + COLUMNS)
                        .param("id", UUID.randomUUID())
                        .param("name", name)
                        .param("sha256", sha256)
                        .param("roles", roles.stream().map(Role::name).sorted().toArray(String[]::new))
                        .param("scopes", scopes == null ? null : json.writeValueAsString(scopes))
                        .param("expiresAt", expiresAt == null ? null : Timestamp.from(expiresAt))
                        .query(this::key)
                        .single();
                changes.announce(TOPIC);
                return key;
            });
        } catch (DuplicateKeyException e) {
            throw new KeyNameTaken(name);
        }
    }

    /** Keys by name, after {@code after} (exclusive) when given. */
    List<Key> list(String after, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from baton_keys.api_keys
                where (cast(:after as text) is null or name > :after)
                order by name
                limit :limit
                """)
                .param("after", after)
                .param("limit", limit)
                .query(this::key)
                .list();
    }

    Optional<Key> get(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from baton_keys.api_keys where id = :id")
                .param("id", id)
                .query(this::key)
                .optional();
    }

    /** Revokes the key: every service refuses it once it hears of the change. False when there is no such key. */
    boolean revoke(UUID id) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            boolean deleted = jdbc.sql("delete from baton_keys.api_keys where id = :id")
                            .param("id", id)
                            .update()
                    == 1;
            if (deleted) {
                changes.announce(TOPIC);
            }
            return deleted;
        }));
    }

    KeyFeed feed() {
        return transactions.execute(status -> {
            long index = jdbc.sql("select index from baton_keys.key_changes")
                    .query(Long.class)
                    .single();
            return new KeyFeed(
                    index,
                    jdbc.sql("select " + COLUMNS + " from baton_keys.api_keys order by name")
                            .query(this::key)
                            .list());
        });
    }

    private Key key(ResultSet rs, int row) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream((String[]) rs.getArray("roles").getArray())
                .map(Role::valueOf)
                .forEach(roles::add);
        String scopes = rs.getString("scopes");
        return new Key(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("sha256"),
                roles,
                scopes == null ? null : json.readValue(scopes, SCOPES),
                instant(rs, "expires_at"),
                instant(rs, "created_at"),
                instant(rs, "last_used_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
