package dev.baton.common.events;

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

/**
 * Blocking queries woken by topic: a query whose index is not yet passed waits on its topic (such
 * as {@code service:orders}) until {@link #wake} names it, typically from a {@link
 * PgChannelListener} hearing another replica's {@code NOTIFY}, then reads again. Nothing polls.
 * Thread-safe.
 */
public class Watches implements SmartLifecycle {

    private final Map<String, Set<CompletableFuture<Void>>> watchers = new ConcurrentHashMap<>();
    private final ExecutorService readers;

    private volatile boolean running;

    /** @param threadName the name of the threads that read again after a wake-up */
    public Watches(String threadName) {
        this.readers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
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

    /** Wakes the blocking queries waiting on {@code topic}: they read again and answer. */
    public void wake(String topic) {
        Set<CompletableFuture<Void>> woken = watchers.remove(topic);
        if (woken != null) {
            woken.forEach(watcher -> watcher.complete(null));
        }
    }

    /** After the listening connection was lost: whatever changed meanwhile is read again. */
    public void wakeAll() {
        List.copyOf(watchers.keySet()).forEach(this::wake);
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
}
