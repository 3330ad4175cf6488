package dev.baton.registry.keys;

import dev.baton.common.security.ApiKeys;
import dev.baton.common.security.Role;
import dev.baton.common.web.BlockingQuery;
import dev.baton.registry.changes.Changes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * The runtime keys' door: a key is made here, shown once, and stored only as its digest; the
 * gateway follows the key feed as a blocking query.
 */
@Service
class KeyService {

    private static final char[] KEY_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyStore store;
    private final Changes changes;
    private final ApiKeys keys;

    KeyService(KeyStore store, Changes changes, ApiKeys keys) {
        this.store = store;
        this.changes = changes;
        this.keys = keys;
    }

    /** A key just created, and the key itself, which is never stored. */
    record Issued(Key key, String secret) {}

    /** Creates a key; throws {@link KeyNameTaken} when a key of configuration or another runtime key has the name. */
    Issued create(String name, Set<Role> roles, Map<String, List<String>> scopes, Instant expiresAt) {
        if (keys.hasBootstrapName(name)) {
            throw new KeyNameTaken(name);
        }
        String secret = newSecret();
        return new Issued(store.create(name, ApiKeys.sha256(secret), roles, scopes, expiresAt), secret);
    }

    /** Keys by name, after {@code after} (exclusive) when given. */
    List<Key> list(String after, int limit) {
        return store.list(after, limit);
    }

    Optional<Key> get(UUID id) {
        return store.get(id);
    }

    /** Revokes the key: every service refuses it once it hears of the change. False when there is no such key. */
    boolean revoke(UUID id) {
        return store.revoke(id);
    }

    /** Every key, once the keys' index passes the query's. */
    CompletableFuture<KeyFeed> feed(BlockingQuery query) {
        return changes.watch(KeyStore.TOPIC, query, store::feed, KeyFeed::index);
    }

    /** 43 random letters and digits after {@code baton_}: about 256 bits. */
    private static String newSecret() {
        StringBuilder secret = new StringBuilder("baton_");
        for (int i = 0; i < 43; i++) {
            secret.append(KEY_ALPHABET[RANDOM.nextInt(KEY_ALPHABET.length)]);
        }
        return secret.toString();
    }
}
