package dev.baton.registry.keys;

import dev.baton.registry.changes.Changes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Wakes the audit log's blocking queries on the entries any service wrote. The audit writers send
 * no {@code NOTIFY}: they are on every lease call's path, and each {@code NOTIFY} would wake every
 * listening backend and serialize the commits that send one. So, every {@code
 * baton.keys.audit-watch-poll} while at least one query waits, each replica reads the newest id
 * once for all its waiting queries and wakes those whose index it passed.
 */
@Component
class AuditWatch {

    private static final Logger log = LoggerFactory.getLogger(AuditWatch.class);

    private final AuditStore store;
    private final Changes changes;

    AuditWatch(AuditStore store, Changes changes) {
        this.store = store;
        this.changes = changes;
    }

    @Scheduled(fixedDelayString = "#{@'baton.keys-dev.baton.registry.keys.KeysProperties'.auditWatchPoll().toMillis()}")
    void poll() {
        if (!changes.waiting(Changes.AUDIT)) {
            return;
        }
        try {
            changes.wakeBefore(Changes.AUDIT, store.newest());
        } catch (RuntimeException e) {
            log.debug("Could not read the audit log's newest id: {}", e.getMessage());
        }
    }
}
