package dev.baton.common.database;

import dev.baton.common.database.SynchronousStandbys.Durability;
import dev.baton.common.database.SynchronousStandbys.Replication;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataAccessException;

/**
 * Tells operators whether the database acknowledges commits without a synchronous standby: once
 * at start-up and on every change, in the log, and continuously in two gauges,
 * {@code baton.database.synchronous.standbys} (standbys that confirm commits now) and
 * {@code baton.database.synchronous.required} (1 when a commit waits for one).
 *
 * <p>One daemon thread reads the primary every {@link #INTERVAL}; a scrape only reads the last
 * result, so it never waits for the database. A failed read keeps the last result. A service
 * without a {@link DataSource} (the gateway) reports nothing.
 */
final class SynchronousStandbysReport implements MeterBinder, SmartInitializingSingleton, DisposableBean {

    static final Duration INTERVAL = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(SynchronousStandbysReport.class);

    private final Supplier<DataSource> dataSource;
    private SynchronousStandbys standbys;
    private final AtomicReference<Replication> last = new AtomicReference<>();
    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "baton-synchronous-standbys");
        thread.setDaemon(true);
        return thread;
    });

    /** Takes the {@link DataSource} lazily, since it is resolved after this report is created; null for none. */
    SynchronousStandbysReport(Supplier<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    private synchronized boolean hasDatabase() {
        if (standbys == null) {
            DataSource found = dataSource.get();
            if (found == null) {
                return false;
            }
            standbys = new SynchronousStandbys(found);
        }
        return true;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!hasDatabase()) {
            return;
        }
        Gauge.builder("baton.database.synchronous.standbys", last, SynchronousStandbysReport::standbysNow)
                .description(
                        "Synchronous standbys that confirm each commit now; 0: a commit is on the primary alone or waits")
                .register(registry);
        Gauge.builder("baton.database.synchronous.required", last, SynchronousStandbysReport::required)
                .description(
                        "1 when a commit waits for a synchronous standby before it is acknowledged, 0 when the primary alone acknowledges it")
                .register(registry);
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!hasDatabase()) {
            return;
        }
        refresh();
        reader.scheduleWithFixedDelay(this::refresh, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        reader.shutdownNow();
    }

    void refresh() {
        Replication now;
        try {
            now = standbys.read();
        } catch (DataAccessException e) {
            if (last.get() == null) {
                log.warn(
                        "Could not read the database's synchronous replication settings; will retry every {}s: {}",
                        INTERVAL.toSeconds(),
                        e.getMessage());
            }
            return;
        }
        Replication before = last.getAndSet(now);
        if (before == null || before.durability() != now.durability()) {
            report(now);
        }
    }

    private static void report(Replication replication) {
        String settings = "synchronous_standby_names='" + replication.standbyNames() + "', synchronous_commit="
                + replication.synchronousCommit();
        Durability durability = replication.durability();
        if (durability == Durability.ON_STANDBY) {
            log.info(
                    "Commits are acknowledged once a synchronous standby has them ({} connected; {})",
                    replication.synchronousStandbys(),
                    settings);
        } else if (durability == Durability.PRIMARY_ONLY) {
            log.warn(
                    "Commits are acknowledged without a synchronous standby ({}): a failover of the database can lose"
                            + " the last acknowledged commits, so a granted lease can vanish and a fencing token be issued twice."
                            + " See docs/guarantees.md",
                    settings);
        } else if (durability == Durability.WAITING_FOR_STANDBY) {
            log.warn(
                    "Commits wait for a synchronous standby and none is connected ({}): writes block until one is",
                    settings);
        } else {
            log.info(
                    "Commits wait for a synchronous standby ({}); grant pg_monitor to this database user to see whether"
                            + " one is connected",
                    settings);
        }
    }

    private static double standbysNow(AtomicReference<Replication> last) {
        Replication replication = last.get();
        if (replication == null || replication.durability() == Durability.STANDBYS_HIDDEN) {
            return Double.NaN;
        }
        return replication.commitsWaitForStandby() ? replication.synchronousStandbys() : 0;
    }

    private static double required(AtomicReference<Replication> last) {
        Replication replication = last.get();
        return replication == null ? Double.NaN : replication.commitsWaitForStandby() ? 1 : 0;
    }
}
