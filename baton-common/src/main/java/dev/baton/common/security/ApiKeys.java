package dev.baton.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The accepted API keys, looked up by the SHA-256 of the presented key: the bootstrap keys from
 * configuration, and the keys created at runtime, which {@link #replaceRuntimeKeys} swaps as a
 * whole whenever they change.
 *
 * <p>API keys are long random strings, so a fast digest is enough to keep a leaked
 * configuration or table from revealing them (a slow password hash would only cost latency on
 * every request). The digests of the keys accepted lately are kept, so that a client that sends
 * its key on every request costs one digest, not one a request; the holder is still looked up by
 * digest every time, so a key revoked or past its expiry is refused at once. Thread-safe: a lookup
 * reads two immutable maps, one of them through a volatile field, and holds the kept digests'
 * lock only to read or keep one.
 */
public final class ApiKeys {

    private static final Consumer<UUID> NO_RECORD = id -> {};

    /** How many accepted keys keep their digest at most. */
    static final int KEPT_DIGESTS = 1024;

    /** The keys created at runtime, and how far the clock of the database they came from is ahead of ours. */
    private record RuntimeKeys(Map<String, ApiKeyPrincipal> byDigest, Duration clockOffset) {}

    private final Map<String, ApiKeyPrincipal> bootstrap = new HashMap<>();
    private final Clock clock;
    private volatile RuntimeKeys runtime = new RuntimeKeys(Map.of(), Duration.ZERO);
    private volatile Consumer<UUID> onUse = NO_RECORD;

    /**
     * The digest of each key accepted lately, by the key as presented, the least recently
     * presented first and dropped past {@link #KEPT_DIGESTS}; guarded by itself.
     */
    private final Map<String, String> digests = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT_DIGESTS;
        }
    };

    public ApiKeys(ApiKeyProperties properties) {
        this(properties, Clock.systemUTC());
    }

    public ApiKeys(ApiKeyProperties properties, Clock clock) {
        this.clock = clock;
        for (ApiKeyProperties.Key key : properties.apiKeys()) {
            if (bootstrap.putIfAbsent(
                            key.sha256(),
                            new ApiKeyPrincipal(key.name(), withImplied(key.roles()), Scopes.of(key.scopes())))
                    != null) {
                throw new IllegalArgumentException("API key '" + key.name() + "' has the same digest as another key");
            }
        }
    }

    /** Every role in {@code roles} and every role they include. */
    public static Set<Role> withImplied(Collection<Role> roles) {
        Set<Role> all = EnumSet.noneOf(Role.class);
        roles.forEach(role -> all.addAll(role.withImplied()));
        return all;
    }

    /**
     * The holder of {@code presentedKey}, or empty when no such key is accepted: unknown, revoked,
     * or past its expiry.
     */
    public Optional<ApiKeyPrincipal> authenticate(String presentedKey) {
        String digest;
        synchronized (digests) {
            digest = digests.get(presentedKey);
        }
        boolean kept = digest != null;
        if (!kept) {
            digest = sha256(presentedKey);
        }
        ApiKeyPrincipal holder = bootstrap.get(digest);
        if (holder == null) {
            RuntimeKeys current = runtime;
            holder = current.byDigest().get(digest);
            if (holder == null
                    || (holder.expiresAt() != null
                            && !clock.instant().plus(current.clockOffset()).isBefore(holder.expiresAt()))) {
                return Optional.empty();
            }
            onUse.accept(holder.id());
        }
        if (!kept) {
            synchronized (digests) {
                digests.put(presentedKey, digest);
            }
        }
        return Optional.of(holder);
    }

    /** How many keys keep their digest now. */
    int keptDigests() {
        synchronized (digests) {
            return digests.size();
        }
    }

    /**
     * Replaces every key created at runtime, whose expiry is judged on this service's clock.
     *
     * @param keys each key's holder by the key's digest
     */
    public void replaceRuntimeKeys(Map<String, ApiKeyPrincipal> keys) {
        replaceRuntimeKeys(keys, Duration.ZERO);
    }

    /**
     * Replaces every key created at runtime, whose expiry is then judged on the clock of the
     * database they were read from.
     *
     * @param keys each key's holder by the key's digest
     * @param clockOffset how far that clock is ahead of this service's (behind when negative)
     */
    public void replaceRuntimeKeys(Map<String, ApiKeyPrincipal> keys, Duration clockOffset) {
        runtime = new RuntimeKeys(Map.copyOf(keys), clockOffset);
    }

    /** Told the id of each runtime key that authenticates a request, on the request's thread: keep it cheap. */
    public void onRuntimeKeyUse(Consumer<UUID> recorder) {
        onUse = recorder;
    }

    /** Whether a key from configuration has this name. */
    public boolean hasBootstrapName(String name) {
        return bootstrap.values().stream().anyMatch(holder -> holder.name().equals(name));
    }

    public boolean isEmpty() {
        return bootstrap.isEmpty() && runtime.byDigest().isEmpty();
    }

    /** Lowercase hex SHA-256 of a key, the form in which keys are configured and stored. */
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
