package dev.baton.common.keys;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ApiKeys;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Role;
import dev.baton.common.security.Scopes;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final Clock clock;

    /**
     * The keys created at runtime, as read.
     *
     * @param keys each key's holder by the key's digest
     * @param clockOffset how far the database's clock was ahead of this service's (behind when negative) as they
     *        were read, to within half a round trip: their expiry is judged on the database's clock
     */
    public record Loaded(Map<String, ApiKeyPrincipal> keys, Duration clockOffset) {}

    /** @param clock this service's clock, the one {@link ApiKeys} judges expiry with */
    KeyTable(DataSource dataSource, JsonMapper json, Clock clock) {
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
        this.clock = clock;
    }

    /** Every key created at runtime, and the database's clock against this service's. */
    public Loaded load() {
        return new Loaded(keys(), clockOffset());
    }

    /** The database's clock less this service's, taken against the middle of the round trip. */
    private Duration clockOffset() {
        Instant sent = clock.instant();
        Instant database = jdbc.sql("select clock_timestamp()")
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .single();
        Instant received = clock.instant();
        Instant middle = sent.plus(Duration.between(sent, received).dividedBy(2));
        return Duration.between(middle, database);
    }

    private Map<String, ApiKeyPrincipal> keys() {
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
