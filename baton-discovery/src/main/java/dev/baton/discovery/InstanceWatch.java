package dev.baton.discovery;

import dev.baton.http.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * A service's instances, kept current by a blocking query on Baton's registry instead of a cache
 * that expires: a replica that registers, deregisters or expires changes the list as soon as the
 * registry announces it. The watch starts with the first request and runs on its own thread until
 * {@link #close()}; when the registry cannot be reached it keeps the last list and tries again
 * after a backoff with jitter that grows with each failure in a row, so that the watches of every
 * replica do not come back at the same moment after the registry does.
 */
public class InstanceWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceWatch.class);
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final Duration FIRST_LIST_TIMEOUT = Duration.ofSeconds(10);
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    private final String serviceId;
    private final RegistryClient registry;
    private final CountDownLatch firstList = new CountDownLatch(1);
    private volatile List<ServiceInstance> current = List.of();
    private volatile boolean running;
    private volatile Thread watcher;

    public InstanceWatch(String serviceId, RegistryClient registry) {
        this.serviceId = serviceId;
        this.registry = registry;
    }

    public String serviceId() {
        return serviceId;
    }

    /** The instances as last listed; the first call starts the watch and waits for its first answer. */
    public List<ServiceInstance> current() {
        startOnce();
        return current;
    }

    /** Starts the watch once; the first callers wait for its first answer, later ones do not. */
    private void startOnce() {
        if (watcher == null) {
            synchronized (this) {
                if (watcher == null) {
                    running = true;
                    Thread thread = new Thread(this::watch, "baton-watch-" + serviceId);
                    thread.setDaemon(true);
                    thread.start();
                    watcher = thread;
                }
            }
        }
        if (firstList.getCount() > 0) {
            try {
                firstList.await(FIRST_LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void watch() {
        long index = 0;
        boolean fresh = true;
        int failures = 0;
        while (running) {
            try {
                RegistryClient.Listing listing =
                        registry.watchInstances(serviceId, index, fresh ? Duration.ZERO : WAIT);
                current = listing.instances().stream()
                        .<ServiceInstance>map(BatonServiceInstance::new)
                        .toList();
                index = listing.index();
                fresh = false;
                failures = 0;
                firstList.countDown();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                Duration retry = RETRY.delay(++failures);
                log.warn(
                        "Watching the instances of '{}' failed ({}); keeping the last {} and retrying in {} ms",
                        serviceId,
                        e.getMessage(),
                        current.size(),
                        retry.toMillis());
                firstList.countDown();
                fresh = true;
                pause(retry);
            }
        }
    }

    private void pause(Duration retry) {
        try {
            Thread.sleep(retry.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
