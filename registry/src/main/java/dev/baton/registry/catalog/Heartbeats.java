package dev.baton.registry.catalog;

import dev.baton.common.batch.BatchWriter;
import java.sql.Array;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Applies heartbeats in batches ({@link BatchWriter}): every heartbeat that arrived while the
 * previous batch ran is extended with one {@code UPDATE}. Each batch is one transaction: it
 * either extends every lease that is still valid or none, and each caller learns which of its
 * instances was extended.
 */
@Component
class Heartbeats extends BatchWriter<Heartbeats.Beat> {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
    private static final long ANSWER_TIMEOUT_SECONDS = 30;

    private static final String EXTEND = """
            update instance i set expires_at = now() + i.ttl_ms * interval '1 millisecond'
            from unnest(?::text[], ?::text[]) as beat(service, instance_id)
            where i.service = beat.service and i.instance_id = beat.instance_id and i.expires_at > now()
            returning i.service, i.instance_id, i.expires_at""";

    /** A heartbeat waiting for its batch. */
    record Beat(String service, String instanceId, CompletableFuture<Optional<Instant>> result) {

        String key() {
            return service + "\u0000" + instanceId;
        }
    }

    private final JdbcTemplate jdbc;

    Heartbeats(JdbcTemplate jdbc) {
        super("registry-heartbeats", 500, 0);
        this.jdbc = jdbc;
    }

    /** Extends the instance's lease by its TTL; empty when it is unknown or has expired. */
    Optional<Instant> beat(String service, String instanceId) {
        Beat beat = new Beat(service, instanceId, new CompletableFuture<>());
        add(beat);
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

    @Override
    protected void write(List<Beat> batch) {
        try {
            extend(batch);
        } catch (RuntimeException e) {
            log.warn("Could not write {} heartbeat(s): {}", batch.size(), e.getMessage());
            batch.forEach(beat -> beat.result().completeExceptionally(e));
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
                        extended.put(
                                rows.getString(1) + "\u0000" + rows.getString(2),
                                rows.getTimestamp(3).toInstant());
                    }
                }
            }
            return null;
        });
        batch.forEach(beat -> beat.result().complete(Optional.ofNullable(extended.get(beat.key()))));
    }
}
