package dev.baton.spring.boot.config;

import dev.baton.http.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps an application's {@code baton:} namespaces current: one blocking query per namespace, each
 * on a daemon thread of its own, held by the registry until the namespace's index passes the one
 * the application last read, and then a refresh (Spring Cloud Context's, which imports the
 * namespaces again, rebinds {@code @ConfigurationProperties} beans and renews {@code @RefreshScope}
 * ones). Changes seen while a refresh runs are covered by one refresh that starts after them.
 *
 * <p>When Baton cannot be read, or a refresh fails, the application keeps the configuration it has
 * and each watch tries again after a backoff that doubles up to {@code baton.config.max-backoff},
 * with the index it had, so that a change made meanwhile is taken as soon as Baton answers. An
 * outage is logged once at WARN, and its end at INFO. Thread-safe; runs from the context's start
 * to its stop.
 */
final class ConfigWatch implements SmartLifecycle {

    private static final Log log = LogFactory.getLog(ConfigWatch.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final ImportedConfig imported;
    private final ToLongFunction<String> loadedIndex;
    private final Runnable refresh;
    private final Duration wait;
    private final Backoff backoff;
    private final ConfigCenter center;

    /** How many changes the watches have seen, and how many of them a finished refresh covers. */
    private final AtomicLong changes = new AtomicLong();

    private final Object refreshing = new Object();
    private long refreshed;

    /** The namespaces whose watch fails now: an outage begins with the first, ends with the last. */
    private final Set<String> failing = new HashSet<>();

    private final List<Thread> watchers = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param imported the namespaces the application imported
     * @param loadedIndex the index at which the application holds a namespace, 0 for one it has not read
     * @param refresh reloads the application's configuration; throws when it cannot
     */
    ConfigWatch(
            ImportedConfig imported,
            ToLongFunction<String> loadedIndex,
            Runnable refresh,
            BatonConfigProperties properties) {
        this.imported = imported;
        this.loadedIndex = loadedIndex;
        this.refresh = refresh;
        this.wait = properties.watchWait();
        Duration max = properties.maxBackoff();
        this.backoff = new Backoff(FIRST_BACKOFF.compareTo(max) < 0 ? FIRST_BACKOFF : max, max);
        // One attempt per query: the watch itself retries, with its own backoff.
        this.center = new ConfigCenter(imported.properties(), 1);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (String namespace : imported.namespaces()) {
            long index = loadedIndex.applyAsLong(namespace);
            Thread watcher = new Thread(() -> watch(namespace, index), "baton-config-watch-" + namespace);
            watcher.setDaemon(true);
            watcher.start();
            watchers.add(watcher);
        }
        log.debug("Watching " + imported.namespaces() + " at "
                + imported.properties().url());
    }

    private void watch(String namespace, long loaded) {
        long index = loaded;
        int failures = 0;
        while (running) {
            try {
                // After a failure, ask without waiting: an answer ends the outage now, not at the wait's end.
                long current = center.watch(namespace, index, failures > 0 ? Duration.ZERO : wait)
                        .index();
                if (current != index) {
                    refreshAfter(changes.incrementAndGet());
                }
                index = current;
                if (failures > 0) {
                    failures = 0;
                    recovered(namespace);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                failed(namespace, e);
                pause(backoff.delay(++failures));
            }
        }
    }

    /** Refreshes the application unless a refresh that started after change {@code change} has finished. */
    private void refreshAfter(long change) {
        synchronized (refreshing) {
            if (refreshed >= change || !running) {
                return;
            }
            long covered = changes.get();
            refresh.run();
            refreshed = covered;
        }
    }

    private synchronized void failed(String namespace, RuntimeException e) {
        boolean outage = failing.isEmpty();
        if (failing.add(namespace) && outage) {
            log.warn("Live configuration from Baton at " + imported.properties().url() + " stopped: baton:"
                    + namespace + " could not be watched or refreshed (" + e.getMessage() + "); keeping the "
                    + "configuration the application has, and trying again with a backoff up to "
                    + backoff.max().toMillis() + " ms");
        }
    }

    private synchronized void recovered(String namespace) {
        if (failing.remove(namespace) && failing.isEmpty()) {
            log.info("Live configuration from Baton at " + imported.properties().url() + " works again");
        }
    }

    private void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends every watch: their requests are dropped, and no refresh starts from now on. */
    @Override
    public void stop() {
        List<Thread> stopping;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            stopping = List.copyOf(watchers);
            watchers.clear();
        }
        stopping.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread watcher : stopping) {
            try {
                watcher.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
