package dev.baton.registry.keys;

import dev.baton.common.security.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A key created at runtime, as a row of the shared {@code baton_keys.api_keys}: created and
 * deleted whole, never changed, so no column is written after the insert. Its last use is written
 * by every service's own statements, and every service reads the table by SQL when it hears of a
 * change.
 */
@Entity
@Table(schema = "baton_keys", name = "api_keys")
class StoredKey {

    @Id
    private UUID id;

    @Column(updatable = false)
    private String name;

    @Column(updatable = false)
    private String sha256;

    @Column(updatable = false)
    @JdbcTypeCode(SqlTypes.ARRAY)
    private String[] roles;

    @Column(updatable = false)
    @Convert(converter = ScopesJson.class)
    @ColumnTransformer(write = "?::jsonb")
    private Map<String, List<String>> scopes;

    @Column(updatable = false)
    private Instant expiresAt;

    @Generated
    private Instant createdAt;

    @Column(insertable = false, updatable = false)
    private Instant lastUsedAt;

    protected StoredKey() {}

    StoredKey(
            UUID id, String name, String sha256, Set<Role> roles, Map<String, List<String>> scopes, Instant expiresAt) {
        this.id = id;
        this.name = name;
        this.sha256 = sha256;
        this.roles = roles.stream().map(Role::name).sorted().toArray(String[]::new);
        this.scopes = scopes;
        this.expiresAt = expiresAt;
    }

    Key key() {
        Set<Role> held = EnumSet.noneOf(Role.class);
        Arrays.stream(roles).map(Role::valueOf).forEach(held::add);
        return new Key(id, name, sha256, held, scopes, expiresAt, createdAt, lastUsedAt);
    }
}
