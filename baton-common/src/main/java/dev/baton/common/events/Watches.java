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
 * PgChannelListener} hearing another replica's {@code NOTIFY}, or until {@link #wakeBefore}
 * passes its index, from a poll of a topic that nothing announces; then it reads again.
 * Thread-safe.
 */
public class Watches implements SmartLifecycle {

    /** A waiting query: the index it has seen, and what completes to wake it. */
    private record Watcher(long index, CompletableFuture<Void> changed) {}

    private final Map<String, Set<Watcher>> watchers = new ConcurrentHashMap<>();
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
        Watcher watcher = new Watcher(index, new CompletableFuture<>());
        CompletableFuture<Void> changed = watcher.changed();
        watchers.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(watcher);
        T now = read.get();
        if (indexOf.applyAsLong(now) > index) {
            forget(topic, watcher);
            return CompletableFuture.completedFuture(now);
        }
        changed.whenComplete((ignored, error) -> forget(topic, watcher));
        return changed.completeOnTimeout(null, maxWait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApplyAsync(ignored -> read.get(), readers);
    }

    private void forget(String topic, Watcher watcher) {
        watchers.computeIfPresent(topic, (t, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    /** Wakes the blocking queries waiting on {@code topic}: they read again and answer. */
    public void wake(String topic) {
        Set<Watcher> woken = watchers.remove(topic);
        if (woken != null) {
            woken.forEach(watcher -> watcher.changed().complete(null));
        }
    }

    /** Wakes the blocking queries waiting on {@code topic} whose index is below {@code index}. */
    public void wakeBefore(String topic, long index) {
        Set<Watcher> waiting = watchers.get(topic);
        if (waiting != null) {
            waiting.stream()
                    .filter(watcher -> watcher.index() < index)
                    .forEach(watcher -> watcher.changed().complete(null));
        }
    }

    /** Whether a blocking query waits on {@code topic}. */
    public boolean waiting(String topic) {
        return watchers.containsKey(topic);
    }

    /** The topics that at least one blocking query waits on now. */
    public Set<String> topics() {
        return Set.copyOf(watchers.keySet());
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
