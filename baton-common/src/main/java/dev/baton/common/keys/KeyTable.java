package dev.baton.common.keys;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ApiKeys;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Role;
import dev.baton.common.security.Scopes;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared {@code baton_keys} schema (docs/adr/0017): its migrations, which every service
 * applies, and the read of the keys created at runtime.
 */
public final class KeyTable {

    /** The schema every service shares for keys and the audit log. */
    public static final String SCHEMA = "baton_keys";

    /** The channel a change of the keys is announced on. */
    public static final String CHANNEL = "baton_keys";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    KeyTable(DataSource dataSource, JsonMapper json) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .locations("classpath:db/baton-keys")
                // A replica of the previous release keeps running while a newer one migrates.
                .ignoreMigrationPatterns("*:future")
                .load()
                .migrate();
        this.jdbc = JdbcClient.create(dataSource);
        this.json = json;
    }

    /** Every key created at runtime, by its digest. */
    public Map<String, ApiKeyPrincipal> load() {
        Map<String, ApiKeyPrincipal> keys = new HashMap<>();
        jdbc.sql("""
                select id, name, sha256, roles, scopes::text as scopes, expires_at
                from baton_keys.api_keys
                """).query(rs -> {
            Timestamp expiresAt = rs.getTimestamp("expires_at");
            keys.put(
                    rs.getString("sha256"),
                    new ApiKeyPrincipal(
                            rs.getString("name"),
                            ApiKeys.withImplied(roles(rs.getArray("roles"))),
                            scopes(rs.getString("scopes")),
                            rs.getObject("id", UUID.class),
                            expiresAt == null ? null : expiresAt.toInstant()));
        });
        return keys;
    }

    private static List<Role> roles(Array array) throws SQLException {
        return Arrays.stream((String[]) array.getArray()).map(Role::valueOf).toList();
    }

    /** The scopes as stored; a kind this version does not know reaches nothing here. */
    Scopes scopes(String stored) {
        if (stored == null) {
            return Scopes.ALL;
        }
        Map<ResourceKind, List<String>> prefixes = new EnumMap<>(ResourceKind.class);
        JsonNode tree = json.readTree(stored);
        for (Map.Entry<String, JsonNode> field : tree.properties()) {
            ResourceKind kind = ResourceKind.of(field.getKey());
            if (kind != null) {
                List<String> names = new ArrayList<>();
                field.getValue().forEach(name -> names.add(name.asString()));
                prefixes.put(kind, names);
            }
        }
        return Scopes.of(prefixes);
    }
}
