package dev.baton.registry.keys;

import dev.baton.common.security.Role;
import dev.baton.registry.changes.Changes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The keys created at runtime, in the shared {@code baton_keys} schema: entities
 * ({@link StoredKey}) created, read, listed and deleted whole. The table's trigger tells every
 * service of a change; this store also wakes the registry's own key feed.
 */
@Component
class KeyStore {

    /** The blocking-query topic of the key feed. */
    static final String TOPIC = "keys";

    private final KeyRepository keys;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Changes changes;

    KeyStore(KeyRepository keys, JdbcClient jdbc, TransactionTemplate transactions, Changes changes) {
        this.keys = keys;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.changes = changes;
    }

    Key create(String name, String sha256, Set<Role> roles, Map<String, List<String>> scopes, Instant expiresAt) {
        try {
            return transactions.execute(status -> {
                StoredKey key =
                        keys.saveAndFlush(new StoredKey(UUID.randomUUID(), name, sha256, roles, scopes, expiresAt));
                changes.announce(TOPIC);
                return key.key();
            });
        } catch (DuplicateKeyException e) {
            throw new KeyNameTaken(name);
        }
    }

    /** Keys by name, after {@code after} (exclusive) when given. */
    List<Key> list(String after, int limit) {
        return keys.findByNameGreaterThanOrderByName(after == null ? "" : after, Limit.of(limit)).stream()
                .map(StoredKey::key)
                .toList();
    }

    Optional<Key> get(UUID id) {
        return keys.findById(id).map(StoredKey::key);
    }

    /** Revokes the key: every service refuses it once it hears of the change. False when there is no such key. */
    boolean revoke(UUID id) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            boolean deleted = keys.remove(id) == 1;
            if (deleted) {
                changes.announce(TOPIC);
            }
            return deleted;
        }));
    }

    /** Every key, and the index of the keys they are, read together. */
    KeyFeed feed() {
        return transactions.execute(status -> {
            // The index first: a change made between the two reads shows as an index not yet seen.
            long index = jdbc.sql("select index from baton_keys.key_changes")
                    .query(Long.class)
                    .single();
            return new KeyFeed(
                    index,
                    keys.findAllByOrderByName().stream().map(StoredKey::key).toList());
        });
    }
}
