package dev.baton.common.keys;

import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Records when each key created at runtime was last used, at most once a second: a request only
 * adds its key's id to a set; one statement a second sets {@code last_used_at} for the ids seen.
 * Thread-safe.
 */
final class LastUse implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LastUse.class);
    private static final long FLUSH_MILLIS = 1000;

    private final JdbcClient jdbc;
    private final Set<UUID> used = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService flusher;

    LastUse(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes a use of the key {@code id}; cheap, on the request's thread. */
    void used(UUID id) {
        used.add(id);
    }

    void flush() {
        if (used.isEmpty()) {
            return;
        }
        UUID[] ids = used.toArray(UUID[]::new);
        for (UUID id : ids) {
            used.remove(id);
        }
        try {
            jdbc.sql("update baton_keys.api_keys set last_used_at = now() where id = any(:ids::uuid[])")
                    .param("ids", Arrays.stream(ids).map(UUID::toString).toArray(String[]::new))
                    .update();
        } catch (RuntimeException e) {
            log.warn("Could not record the last use of {} API key(s): {}", ids.length, e.getMessage());
        }
    }

    @Override
    public void start() {
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "api-key-last-use");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        flusher.shutdown();
        flush();
    }

    /** Starts before the web server and stops after it, so that no use is missed. */
    @Override
    public int getPhase() {
        return 0;
    }

    @Override
    public boolean isRunning() {
        return flusher != null && !flusher.isShutdown();
    }
}
