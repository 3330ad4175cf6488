package dev.baton.registry.keys;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ages the audit log out by the day: drops each UTC day's partition once the whole day is past
 * {@code baton.keys.audit-retention}, and makes the partitions of the week ahead; on one replica
 * at a time.
 */
@Component
class AuditRetention {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditStore store;
    private final KeysProperties properties;

    AuditRetention(AuditStore store, KeysProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Scheduled(
            fixedDelayString =
                    "#{@'baton.keys-dev.baton.registry.keys.KeysProperties'.auditSweepInterval().toMillis()}")
    @SchedulerLock(name = "audit-retention", lockAtMostFor = "PT5M")
    void sweep() {
        int dropped = store.dropOlderThan(properties.auditRetention());
        if (dropped > 0) {
            log.info("Dropped {} day(s) of audit entries older than {}", dropped, properties.auditRetention());
        }
    }
}
