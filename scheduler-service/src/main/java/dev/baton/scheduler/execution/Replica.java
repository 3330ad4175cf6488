package dev.baton.scheduler.execution;

import dev.baton.scheduler.SchedulerProperties;
import java.lang.management.ManagementFactory;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This replica's row in {@code replica}: written before it claims anything, refreshed every
 * heartbeat, and deleted when it stops, so that whatever it left running is recovered at once
 * rather than after the replica timeout. Heartbeats are stamped with the database's clock, the
 * one clock every replica shares, so a replica whose own clock is off is never taken for dead.
 */
@Component
class Replica implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Replica.class);

    /** Starts before the dispatcher and the outcome writer, and stops after them. */
    static final int PHASE = Outcomes.PHASE - 1;

    private final String id = ManagementFactory.getRuntimeMXBean().getName() + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    private final JdbcClient jdbc;
    private final SchedulerProperties properties;
    private ScheduledExecutorService heartbeats;
    private volatile boolean running;

    Replica(JdbcClient jdbc, SchedulerProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    String id() {
        return id;
    }

    @Override
    public void start() {
        beat();
        heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "scheduler-replica-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.replicaHeartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
        running = true;
        log.info("Scheduler replica {} started", id);
    }

    void beat() {
        jdbc.sql("""
                insert into replica (id, heartbeat_at) values (:id, clock_timestamp())
                on conflict (id) do update set heartbeat_at = excluded.heartbeat_at""").param("id", id).update();
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            log.warn("Replica heartbeat failed: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        running = false;
        heartbeats.shutdownNow();
        try {
            jdbc.sql("""
                    delete from replica where id = :id""").param("id", id).update();
        } catch (RuntimeException e) {
            log.warn(
                    "Could not remove replica {}; its executions are recovered after the replica timeout: {}",
                    id,
                    e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
