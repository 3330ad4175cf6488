package dev.baton.lock.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Vacuums the lease tables, on one replica at a time, once they hold many dead rows. Every lease
 * is a row inserted and then deleted, every grant a new version of its resource's row: under
 * steady traffic the tables and their indexes fill with dead rows that each call on a name steps
 * over, until {@code VACUUM} removes them. autovacuum does that at its own pace (a table at most
 * once per {@code autovacuum_naptime}, a minute by default) and not at all where it is turned
 * off; this does it within {@code baton.leases.vacuum-interval} of a table's dead rows passing
 * {@code baton.leases.vacuum-dead-rows}. {@code VACUUM} takes no lock a lease call waits for, and
 * {@code SKIP_LOCKED} passes over a table that autovacuum is vacuuming at that moment.
 */
@Component
class LeaseVacuum {

    private static final Logger log = LoggerFactory.getLogger(LeaseVacuum.class);

    /** Each lease table's statement: the names are the tables', never a request's. */
    private static final Map<String, String> VACUUM = Map.of(
            "lease", "vacuum (skip_locked) lease",
            "waiter", "vacuum (skip_locked) waiter",
            "resource", "vacuum (skip_locked) resource");

    private final JdbcClient jdbc;
    private final LeaseProperties properties;
    private final MeterRegistry meters;

    LeaseVacuum(JdbcClient jdbc, LeaseProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.meters = meters;
    }

    @Scheduled(
            fixedDelayString = "#{@'baton.leases-dev.baton.lock.engine.LeaseProperties'.vacuumInterval().toMillis()}")
    @SchedulerLock(name = "lease-vacuum", lockAtMostFor = "PT1M")
    void vacuum() {
        for (String table : due()) {
            long started = System.nanoTime();
            jdbc.sql(VACUUM.get(table)).update();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Timer.builder("baton.lease.vacuum")
                    .description("VACUUM runs of a lease table that dead rows filled")
                    .tag("table", table)
                    .register(meters)
                    .record(took);
            log.debug("Vacuumed {} in {} ms", table, took.toMillis());
        }
    }

    /** The lease tables with at least {@code vacuum-dead-rows} dead rows, as the statistics count them. */
    private List<String> due() {
        return jdbc.sql("""
                select relname from pg_stat_user_tables
                 where schemaname = current_schema() and relname in ('lease', 'waiter', 'resource')
                   and n_dead_tup >= :deadRows
                """)
                .param("deadRows", properties.vacuumDeadRows())
                .query(String.class)
                .list();
    }
}
