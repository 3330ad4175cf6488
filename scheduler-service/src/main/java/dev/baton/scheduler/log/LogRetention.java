package dev.baton.scheduler.log;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the logs of attempts last written to more than {@code baton.scheduler.logs.retention}
 * ago, on one replica at a time, a bounded number of attempts per statement so that no
 * transaction holds many rows.
 */
@Component
class LogRetention {

    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);
    private static final int ATTEMPTS_PER_STATEMENT = 1000;

    private final LogStore store;
    private final LogProperties properties;

    LogRetention(LogStore store, LogProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT10S")
    @SchedulerLock(name = "scheduler-log-retention", lockAtMostFor = "PT10M")
    void retention() {
        long retentionMs = properties.retention().toMillis();
        int deleted = 0;
        int round;
        do {
            round = store.deleteWrittenBefore(retentionMs, ATTEMPTS_PER_STATEMENT);
            deleted += round;
        } while (round == ATTEMPTS_PER_STATEMENT);
        if (deleted > 0) {
            log.info(
                    "Deleted the logs of {} attempt(s) last written more than {} ago", deleted, properties.retention());
        }
    }
}
