package dev.baton.scheduler.alert;

import dev.baton.http.Backoff;
import dev.baton.scheduler.SchedulerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Delivers the alerts on every replica. Each round claims due alerts with {@code FOR UPDATE
 * SKIP LOCKED} for a lease long enough to deliver them all, so two replicas never take the same
 * one, and one that dies mid-round leaves its alerts to the others when the lease ends. A
 * delivery that fails is due again after a {@link Backoff} with jitter, until {@code
 * max-attempts}; its record is guarded by the attempt it claimed, so a replica whose lease ran out
 * cannot overwrite another's. A replica without an SMTP server leaves emails to those with one. An alert is thereby delivered once, but twice when a replica stalls
 * past its lease after its channel took the alert and before it recorded that.
 */
@Component
class AlertSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertSender.class);

    private static final int PARALLEL = 8;

    private final AlertStore store;
    private final Deliveries deliveries;
    private final AlertProperties properties;
    private final Duration retention;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Backoff backoff;
    private final Duration lease;
    private ScheduledExecutorService rounds;
    private ExecutorService senders;

    AlertSender(
            AlertStore store,
            Deliveries deliveries,
            AlertProperties properties,
            SchedulerProperties scheduler,
            Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.deliveries = deliveries;
        this.properties = properties;
        this.retention = scheduler.historyRetention();
        this.clock = clock;
        this.meters = meters;
        this.backoff = new Backoff(properties.retryBackoff(), properties.maxRetryBackoff());
        int waves = (properties.batchSize() + PARALLEL - 1) / PARALLEL;
        this.lease = properties.sendTimeout().multipliedBy(waves + 1L);
    }

    /** Claims the due alerts and delivers them; returns how many it claimed. */
    int round() throws InterruptedException {
        List<AlertStore.Claimed> claimed = store.claim(properties.batchSize(), lease, deliveries.mails());
        List<Future<?>> sent = new ArrayList<>();
        for (AlertStore.Claimed alert : claimed) {
            sent.add(senders.submit(() -> {
                deliver(alert);
                return null;
            }));
        }
        for (Future<?> delivery : sent) {
            try {
                delivery.get();
            } catch (ExecutionException e) {
                log.error("Delivering an alert failed", e.getCause());
            }
        }
        return claimed.size();
    }

    private void deliver(AlertStore.Claimed alert) throws InterruptedException {
        try {
            deliveries.deliver(alert);
            store.sent(alert);
            delivered(alert, "SENT");
        } catch (Deliveries.Failed failed) {
            boolean last = failed.lasting() || alert.attempts() >= properties.maxAttempts();
            Duration wait = last ? null : backoff.delay(alert.attempts());
            log.warn(
                    "Alert {} ({} of job {}) to {}: attempt {} failed{}: {}",
                    alert.id(),
                    alert.event(),
                    alert.jobId(),
                    alert.channel().type(),
                    alert.attempts(),
                    last ? ", giving up" : ", trying again in " + wait.toMillis() + " ms",
                    failed.getMessage());
            store.failed(alert, failed.getMessage(), wait);
            delivered(alert, last ? "FAILED" : "RETRIED");
        }
    }

    private void delivered(AlertStore.Claimed alert, String outcome) {
        meters.counter(
                        "baton.scheduler.alerts.deliveries",
                        "channel",
                        alert.channel().type().name(),
                        "outcome",
                        outcome)
                .increment();
    }

    private void loop() {
        try {
            int claimed;
            do {
                claimed = round();
            } while (claimed == properties.batchSize());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Could not deliver alerts: {}", e.toString());
        }
    }

    /** Deletes the alerts settled longer ago than the execution history is kept, one replica at a time. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT20S")
    @SchedulerLock(name = "scheduler-alert-retention", lockAtMostFor = "PT10M")
    void retention() {
        int deleted = store.deleteSettledBefore(clock.instant().minus(retention));
        if (deleted > 0) {
            log.info("Deleted {} alerts settled more than {} ago", deleted, retention);
        }
    }

    @Override
    public synchronized void start() {
        senders = Executors.newFixedThreadPool(PARALLEL, task -> new Thread(task, "scheduler-alert-delivery"));
        rounds = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "scheduler-alerts");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.pollInterval().toMillis();
        rounds.scheduleWithFixedDelay(this::loop, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        rounds.shutdownNow();
        senders.shutdownNow();
        try {
            rounds.awaitTermination(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rounds = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return rounds != null;
    }
}
