package dev.baton.scheduler.log;

import dev.baton.common.events.Watches;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Wakes the blocking queries on logs at the lines other replicas wrote and at their execution's
 * end. A batch sends no {@code NOTIFY}: workers may send many, and each would wake every listening
 * backend and serialize the commits that send one. Through the gateway, a worker's batches and the
 * queries on their execution reach the same replica (its hash key is the execution's id), which
 * wakes its queries itself. So, every {@code baton.scheduler.logs.watch-poll} while at least one
 * query waits, each replica reads the heads of the logs its queries follow, in one statement.
 */
@Component
class LogWatch {

    private static final Logger log = LoggerFactory.getLogger(LogWatch.class);

    private final LogStore store;
    private final Watches logWatches;

    LogWatch(LogStore store, Watches logWatches) {
        this.store = store;
        this.logWatches = logWatches;
    }

    @Scheduled(
            fixedDelayString =
                    "#{@'baton.scheduler.logs-dev.baton.scheduler.log.LogProperties'.watchPoll().toMillis()}")
    void poll() {
        List<Long> followed = logWatches.topics().stream().map(Long::valueOf).toList();
        if (followed.isEmpty()) {
            return;
        }
        Map<Long, LogStore.Head> heads;
        try {
            heads = store.heads(followed);
        } catch (RuntimeException e) {
            log.debug("Could not read the heads of the logs followed: {}", e.getMessage());
            return;
        }
        for (long id : followed) {
            LogStore.Head head = heads.get(id);
            if (head == null || head.finished()) {
                logWatches.wake(ExecutionLogs.topic(id));
            } else {
                logWatches.wakeBefore(ExecutionLogs.topic(id), head.lastSeq());
            }
        }
    }
}
