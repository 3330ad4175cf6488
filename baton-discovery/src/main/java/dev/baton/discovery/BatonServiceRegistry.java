package dev.baton.discovery;

import dev.baton.http.Backoff;
import dev.baton.http.BatonException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Spring Cloud's {@link ServiceRegistry} on Baton's registry. A registered instance heartbeats on
 * its own timer; when the registry no longer knows it (it expired, or the registry lost it), the
 * next heartbeat registers it again, and a heartbeat the registry did not take is tried again
 * sooner, after a backoff with jitter that grows with each failure in a row up to the heartbeat
 * interval: the application keeps running whatever the registry does, and the instances that lost
 * it together do not all come back at the same moment.
 */
public class BatonServiceRegistry implements ServiceRegistry<BatonServiceInstance> {

    private static final Logger log = LoggerFactory.getLogger(BatonServiceRegistry.class);

    /** What {@link #getStatus} answers for a registered instance. */
    public static final String UP = "UP";

    private final RegistryClient registry;
    private final Duration ttl;
    private final Duration heartbeatInterval;
    private final Backoff retry;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "baton-discovery-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Heartbeat> heartbeats = new ConcurrentHashMap<>();

    public BatonServiceRegistry(RegistryClient registry, Duration ttl, Duration heartbeatInterval) {
        this.registry = registry;
        this.ttl = ttl;
        this.heartbeatInterval = heartbeatInterval;
        Duration firstRetry = Duration.ofMillis(500);
        this.retry = new Backoff(
                firstRetry.compareTo(heartbeatInterval) < 0 ? firstRetry : heartbeatInterval, heartbeatInterval);
    }

    @Override
    public void register(BatonServiceInstance instance) {
        try {
            registry.register(instance.registered(), ttl);
            log.info(
                    "Registered {} with Baton's registry (TTL {}, heartbeat every {})",
                    instance,
                    ttl,
                    heartbeatInterval);
        } catch (BatonException e) {
            log.warn("Could not register {} yet ({}); retrying at every heartbeat", instance, e.getMessage());
        }
        Heartbeat heartbeat = new Heartbeat(instance);
        Heartbeat previous = heartbeats.put(key(instance), heartbeat);
        if (previous != null) {
            previous.stop();
        }
        heartbeat.after(heartbeatInterval);
    }

    @Override
    public void deregister(BatonServiceInstance instance) {
        Heartbeat heartbeat = heartbeats.remove(key(instance));
        if (heartbeat != null) {
            heartbeat.stop();
        }
        try {
            registry.deregister(instance.getServiceId(), instance.getInstanceId());
            log.info("Deregistered {} from Baton's registry", instance);
        } catch (BatonException e) {
            log.warn("Could not deregister {} ({}); it expires after its TTL", instance, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One instance's heartbeats: each beat schedules the next, sooner after a failure. */
    private final class Heartbeat {

        private final BatonServiceInstance instance;
        private int failures;
        private ScheduledFuture<?> next;
        private boolean stopped;

        Heartbeat(BatonServiceInstance instance) {
            this.instance = instance;
        }

        synchronized void after(Duration delay) {
            if (stopped) {
                return;
            }
            try {
                next = timer.schedule(this::beat, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                stopped = true;
            }
        }

        synchronized void stop() {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        }

        private void beat() {
            try {
                if (!registry.heartbeat(instance.getServiceId(), instance.getInstanceId())) {
                    log.warn("Baton's registry no longer knows {}; registering it again", instance);
                    registry.register(instance.registered(), ttl);
                }
                failures = 0;
                after(heartbeatInterval);
            } catch (RuntimeException e) {
                Duration wait = retry.delay(++failures);
                log.warn("Heartbeat of {} failed ({}); retrying in {} ms", instance, e.getMessage(), wait.toMillis());
                after(wait);
            }
        }
    }

    @Override
    public void setStatus(BatonServiceInstance instance, String status) {
        throw new UnsupportedOperationException(
                "Baton's registry lists an instance while it heartbeats; " + "deregister it to take it out of service");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getStatus(BatonServiceInstance instance) {
        return heartbeats.containsKey(key(instance)) ? (T) UP : null;
    }

    private static String key(BatonServiceInstance instance) {
        return instance.getServiceId() + "/" + instance.getInstanceId();
    }
}
