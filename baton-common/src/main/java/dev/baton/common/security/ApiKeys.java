package dev.baton.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The accepted API keys, looked up by the SHA-256 of the presented key.
 *
 * <p>API keys are long random strings, so a fast digest is enough to keep a leaked
 * configuration from revealing them (a slow password hash would only cost latency on every
 * request). Immutable and thread-safe.
 */
public final class ApiKeys {

    private final Map<String, ApiKeyPrincipal> byDigest = new HashMap<>();

    public ApiKeys(ApiKeyProperties properties) {
        for (ApiKeyProperties.Key key : properties.apiKeys()) {
            Set<Role> roles = EnumSet.noneOf(Role.class);
            key.roles().forEach(role -> roles.addAll(role.withImplied()));
            if (byDigest.putIfAbsent(key.sha256(), new ApiKeyPrincipal(key.name(), roles)) != null) {
                throw new IllegalArgumentException("API key '" + key.name() + "' has the same digest as another key");
            }
        }
    }

    /** The holder of {@code presentedKey}, or empty when no such key is accepted. */
    public Optional<ApiKeyPrincipal> authenticate(String presentedKey) {
        return Optional.ofNullable(byDigest.get(sha256(presentedKey)));
    }

    public boolean isEmpty() {
        return byDigest.isEmpty();
    }

    /** Lowercase hex SHA-256 of a key, the form in which keys are configured. */
    public static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE provides SHA-256", e);
        }
    }

    /**
     * The key carried by a request: {@code Authorization: Bearer <key>}, else {@code X-Api-Key}.
     *
     * @return the key, or {@code null} when the request carries none
     */
    public static String presentedKey(String authorizationHeader, String apiKeyHeader) {
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String key = authorizationHeader.substring(7).trim();
            return key.isEmpty() ? null : key;
        }
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKeyHeader.trim();
        }
        return null;
    }
}
