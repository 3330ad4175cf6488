package dev.baton.registry.keys;

import dev.baton.common.security.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A key created at runtime, as stored: never the key itself, only its digest.
 *
 * @param scopes per resource kind, the name prefixes the key may touch; null: every name
 * @param lastUsedAt when a service last authenticated a request with it (recorded about once a second)
 */
record Key(
        UUID id,
        String name,
        String sha256,
        Set<Role> roles,
        Map<String, List<String>> scopes,
        Instant expiresAt,
        Instant createdAt,
        Instant lastUsedAt) {}
