package dev.baton.registry.changes;

import dev.baton.common.web.BlockingQuery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Blocking queries over the registry's tables. A write announces its topic (such as
 * {@code service:orders} or {@code config:shop}) with {@code NOTIFY} on {@link #CHANNEL} in its
 * own transaction; every replica hears it and wakes the blocking queries waiting on that topic,
 * which read again. Nothing polls.
 */
@Component
public class Changes implements SmartLifecycle {

    /** The channel every registry replica listens on. */
    public static final String CHANNEL = "baton_registry";

    private final JdbcClient jdbc;
    private final Map<String, Set<CompletableFuture<Void>>> watchers = new ConcurrentHashMap<>();
    private final ExecutorService readers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "registry-watch");
        thread.setDaemon(true);
        return thread;
    });

    private volatile boolean running;

    Changes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Announces a change of {@code topic} when the current transaction commits. */
    public void announce(String topic) {
        jdbc.sql("select pg_notify(:channel, :topic)")
                .param("channel", CHANNEL)
                .param("topic", topic)
                .query((rs, row) -> 1)
                .list();
    }

    /**
     * Reads {@code read} now when its index is past the query's (or the query does not block),
     * else once {@code topic} changes or the query's wait passes.
     *
     * @param indexOf the index of what {@code read} returned
     */
    public <T> CompletableFuture<T> watch(
            String topic, BlockingQuery query, Supplier<T> read, ToLongFunction<T> indexOf) {
        if (!query.blocks() || !running) {
            return CompletableFuture.completedFuture(read.get());
        }
        long index = query.index();
        Duration maxWait = query.maxWait();
        CompletableFuture<Void> changed = new CompletableFuture<>();
        watchers.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(changed);
        T now = read.get();
        if (indexOf.applyAsLong(now) > index) {
            forget(topic, changed);
            return CompletableFuture.completedFuture(now);
        }
        changed.whenComplete((ignored, error) -> forget(topic, changed));
        return changed.completeOnTimeout(null, maxWait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApplyAsync(ignored -> read.get(), readers);
    }

    private void forget(String topic, CompletableFuture<Void> watcher) {
        watchers.computeIfPresent(topic, (t, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    void wake(String topic) {
        Set<CompletableFuture<Void>> woken = watchers.remove(topic);
        if (woken != null) {
            woken.forEach(watcher -> watcher.complete(null));
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Before the web server drains: every waiting blocking query answers now, and later ones
     * answer at once, so that shutdown does not wait for them to time out.
     */
    @Override
    public void stop() {
        running = false;
        wakeAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the listening connection was lost: whatever changed meanwhile is read again. */
    void wakeAll() {
        List.copyOf(watchers.keySet()).forEach(this::wake);
    }
}
