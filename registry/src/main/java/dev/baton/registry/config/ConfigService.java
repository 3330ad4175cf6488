package dev.baton.registry.config;

import dev.baton.common.web.BlockingQuery;
import dev.baton.registry.changes.Changes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * The config center's door: writes under their preconditions, reads as blocking queries on their
 * namespace's topic, namespaces and history.
 */
@Service
class ConfigService {

    private final ConfigStore store;
    private final Changes changes;

    ConfigService(ConfigStore store, Changes changes) {
        this.store = store;
        this.changes = changes;
    }

    /** Writes a value when the precondition holds, else throws {@link PreconditionFailed}. */
    ConfigEntry put(String namespace, String key, String value, String contentType, Precondition precondition) {
        return store.put(namespace, key, value, contentType, precondition);
    }

    /** Deletes a key when the precondition holds, else throws {@link PreconditionFailed}. */
    void delete(String namespace, String key, Precondition precondition) {
        store.delete(namespace, key, precondition);
    }

    /** A key, once its namespace's index passes the query's. */
    CompletableFuture<EntryRead> get(String namespace, String key, BlockingQuery query) {
        return changes.watch(ConfigStore.topic(namespace), query, () -> store.get(namespace, key), EntryRead::index);
    }

    /** Every key of a namespace, once its index passes the query's. */
    CompletableFuture<NamespaceRead> namespace(String namespace, BlockingQuery query) {
        return changes.watch(
                ConfigStore.topic(namespace), query, () -> store.namespace(namespace), NamespaceRead::index);
    }

    /** Namespaces whose names start with {@code prefix}, after {@code cursor}, in name order. */
    List<NamespaceSummary> namespaces(String prefix, String cursor, int limit) {
        return store.namespaces(prefix, cursor, limit);
    }

    /** Every key of these namespaces, by namespace and key. */
    List<ConfigEntry> entries(List<String> namespaces) {
        return store.entries(namespaces);
    }

    /** A key's versions, newest first. */
    List<Version> history(String namespace, String key, int limit) {
        return store.history(namespace, key, limit);
    }
}
