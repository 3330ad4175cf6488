package dev.baton.registry.keys;

import java.util.List;
import org.springframework.stereotype.Service;

/** The audit log's door: what every service wrote of the changes made with keys. */
@Service
class AuditService {

    private final AuditStore store;

    AuditService(AuditStore store) {
        this.store = store;
    }

    /** Entries newest first. */
    List<AuditEntry> find(AuditQuery query, int limit) {
        return store.find(query, limit);
    }
}
