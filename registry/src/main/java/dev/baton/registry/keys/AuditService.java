package dev.baton.registry.keys;

import dev.baton.common.web.BlockingQuery;
import dev.baton.registry.changes.Changes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Service;

/** The audit log's door: what every service wrote of the changes made with keys. */
@Service
class AuditService {

    private final AuditStore store;
    private final Changes changes;

    AuditService(AuditStore store, Changes changes) {
        this.store = store;
        this.changes = changes;
    }

    /** The log's index: the newest entry's id, 0 before the first. */
    long newest() {
        return store.newest();
    }

    /** Entries newest first. */
    List<AuditEntry> find(AuditQuery query, int limit) {
        return store.find(query, limit);
    }

    /**
     * Reads {@code read} now when its index is past the query's (or the query does not block), else
     * once an entry newer than the query's index is written ({@link AuditWatch}) or its wait passes.
     */
    <T> CompletableFuture<T> watch(BlockingQuery query, Supplier<T> read, ToLongFunction<T> indexOf) {
        return changes.watch(Changes.AUDIT, query, read, indexOf);
    }
}
