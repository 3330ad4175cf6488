package dev.baton.registry.catalog;

import java.sql.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Applies heartbeats in batches, as PostgreSQL groups commits: one writer thread takes every
 * heartbeat that arrived while the previous batch ran and extends them all with one
 * {@code UPDATE}, in one round trip and one commit. A lone heartbeat goes at once; under load a
 * heartbeat waits at most for one batch. Each batch is one transaction: it either extends every
 * lease that is still valid or none, and each caller learns which of its instances was extended.
 */
@Component
class Heartbeats implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
    private static final int MAX_BATCH = 500;
    private static final long ANSWER_TIMEOUT_SECONDS = 30;

    private static final String EXTEND = """
            update instance i set expires_at = now() + i.ttl_ms * interval '1 millisecond'
            from unnest(?::text[], ?::text[]) as beat(service, instance_id)
            where i.service = beat.service and i.instance_id = beat.instance_id and i.expires_at > now()
            returning i.service, i.instance_id, i.expires_at""";

    /** A heartbeat waiting for its batch. */
    private record Beat(String service, String instanceId, CompletableFuture<Optional<Instant>> result) {

        String key() {
            return service + "\u0000" + instanceId;
        }
    }

    private final JdbcTemplate jdbc;
    private final BlockingQueue<Beat> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    Heartbeats(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Extends the instance's lease by its TTL; empty when it is unknown or has expired. */
    Optional<Instant> beat(String service, String instanceId) {
        Beat beat = new Beat(service, instanceId, new CompletableFuture<>());
        queue.add(beat);
        try {
            return beat.result().get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a heartbeat to be written", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("A heartbeat was not written within " + ANSWER_TIMEOUT_SECONDS + " s", e);
        }
    }

    private void write() {
        List<Beat> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Beat first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                extend(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Could not write {} heartbeat(s): {}", batch.size(), e.getMessage());
                batch.forEach(beat -> beat.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void extend(List<Beat> batch) {
        String[] services = batch.stream().map(Beat::service).toArray(String[]::new);
        String[] ids = batch.stream().map(Beat::instanceId).toArray(String[]::new);
        Map<String, Instant> extended = new HashMap<>();
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            Array serviceArray = connection.createArrayOf("text", services);
            Array idArray = connection.createArrayOf("text", ids);
            try (var statement = connection.prepareStatement(EXTEND)) {
                statement.setArray(1, serviceArray);
                statement.setArray(2, idArray);
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        extended.put(rows.getString(1) + "\u0000" + rows.getString(2), rows.getTimestamp(3).toInstant());
                    }
                }
            }
            return null;
        });
        batch.forEach(beat -> beat.result().complete(Optional.ofNullable(extended.get(beat.key()))));
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::write, "registry-heartbeats");
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops after the web server has drained: heartbeats already queued are written first. */
    @Override
    public void stop() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
