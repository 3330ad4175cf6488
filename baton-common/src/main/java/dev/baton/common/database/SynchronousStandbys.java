package dev.baton.common.database;

import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads, from the PostgreSQL primary a service writes to, whether a commit is acknowledged only
 * once a synchronous standby has it. A grant and its fencing token are as durable as their commit:
 * acknowledged on the primary alone, they can be lost by a failover.
 */
final class SynchronousStandbys {

    /** The values of {@code synchronous_commit} that make a commit wait for the synchronous standbys. */
    private static final Set<String> WAITING_COMMITS = Set.of("on", "remote_write", "remote_apply");

    private final JdbcClient jdbc;

    SynchronousStandbys(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * Standbys whose {@code sync_state} is null are connected but hidden from a user without
     * {@code pg_read_all_stats} (granted by {@code pg_monitor}), so they are counted apart.
     */
    Replication read() {
        return jdbc.sql("""
                        select current_setting('synchronous_commit') as synchronous_commit,
                               current_setting('synchronous_standby_names') as synchronous_standby_names,
                               (select count(*) from pg_stat_replication
                                 where sync_state in ('sync', 'quorum')) as synchronous_standbys,
                               (select count(*) from pg_stat_replication
                                 where sync_state is null) as hidden_standbys
                        """)
                .query((row, number) -> new Replication(
                        row.getString("synchronous_commit"),
                        row.getString("synchronous_standby_names"),
                        row.getLong("synchronous_standbys"),
                        row.getLong("hidden_standbys")))
                .single();
    }

    /** What the primary reports about its replication, and what it means for a commit. */
    record Replication(String synchronousCommit, String standbyNames, long synchronousStandbys, long hiddenStandbys) {

        /** Whether a commit waits for a synchronous standby before it is acknowledged. */
        boolean commitsWaitForStandby() {
            return !standbyNames.isBlank() && WAITING_COMMITS.contains(synchronousCommit);
        }

        Durability durability() {
            if (!commitsWaitForStandby()) {
                return Durability.PRIMARY_ONLY;
            }
            if (synchronousStandbys > 0) {
                return Durability.ON_STANDBY;
            }
            return hiddenStandbys > 0 ? Durability.STANDBYS_HIDDEN : Durability.WAITING_FOR_STANDBY;
        }
    }

    /** Where an acknowledged commit is. */
    enum Durability {
        /** On the primary and at least one synchronous standby. */
        ON_STANDBY,
        /** On the primary alone: a failover can lose it. */
        PRIMARY_ONLY,
        /** Commits wait for a synchronous standby and none is connected, so writes block until one is. */
        WAITING_FOR_STANDBY,
        /** Commits wait for a synchronous standby; this user cannot see whether one is connected. */
        STANDBYS_HIDDEN
    }
}
