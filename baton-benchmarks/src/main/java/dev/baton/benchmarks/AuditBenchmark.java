package dev.baton.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.keys.AuditLog;
import dev.baton.common.keys.KeyTable;
import dev.baton.common.keys.TrustedProxies;
import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.Role;
import dev.baton.common.security.Scopes;
import dev.baton.test.TestDatabase;
import java.time.Clock;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the audit log costs in PostgreSQL: the rows a second its writer inserts, in its own
 * batches, with the WAL and the disk each row takes; and retention, a plain {@code DELETE} of a
 * day's rows (the audit log before daily partitions) against dropping that day's partition. On a
 * database of its own ({@code BATON_TEST_DB_URL}'s server), with {@code BENCH_AUDIT_ROWS} rows
 * through the writer (300000) and {@code BENCH_AUDIT_DAY_ROWS} rows in each of two days (1000000).
 */
final class AuditBenchmark {

    private final int writerRows = Harness.intEnv("BENCH_AUDIT_ROWS", 300_000);
    private final int dayRows = Harness.intEnv("BENCH_AUDIT_DAY_ROWS", 1_000_000);

    void run() throws Exception {
        TestDatabase database = TestDatabase.get();
        System.out.printf(
                "Audit benchmark: %d rows through the writer, 2 days of %d rows for retention, on %s%n",
                writerRows, dayRows, database.url());
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(database.url());
            pool.setUsername(database.user());
            pool.setPassword(database.password());
            pool.setMaximumPoolSize(4);
            Flyway.configure()
                    .dataSource(pool)
                    .schemas(KeyTable.SCHEMA)
                    .defaultSchema(KeyTable.SCHEMA)
                    .locations("classpath:db/baton-keys")
                    .load()
                    .migrate();
            JdbcClient jdbc = JdbcClient.create(pool);
            writer(pool, jdbc);
            retention(jdbc);
        }
    }

    /** Queues the rows as lease calls do, then times the writer until it has inserted them all. */
    private void writer(HikariDataSource pool, JdbcClient jdbc) {
        AuditLog audit = new AuditLog(JdbcClient.create(pool), Clock.systemUTC(), TrustedProxies.NONE);
        ApiKeyPrincipal caller = new ApiKeyPrincipal("bench", Set.of(Role.WRITE, Role.READ), Scopes.ALL);
        for (int i = 0; i < writerRows; i++) {
            audit.record(
                    caller,
                    i % 2 == 0 ? "POST" : "DELETE",
                    "/api/v1/locks/orders%2F" + (i % 1000) + "/leases",
                    201,
                    "203.0.113.9, 10.42.0.17");
        }
        long wal = walBytes(jdbc);
        long started = System.nanoTime();
        audit.start();
        audit.stop();
        double seconds = (System.nanoTime() - started) / 1e9;
        long rows = jdbc.sql("select count(*) from baton_keys.audit")
                .query(Long.class)
                .single();
        long walPerRow = (walBytes(jdbc) - wal) / Math.max(1, rows);
        long diskPerRow = jdbc.sql("select pg_total_relation_size('baton_keys.audit_" + today(jdbc) + "')")
                        .query(Long.class)
                        .single()
                / Math.max(1, rows);
        System.out.printf(
                "  writer: %d of %d rows in %.2f s = %,.0f rows/s (batches of up to 1000, one writer thread); "
                        + "%d WAL bytes and %d bytes on disk (table and indexes) a row%n",
                rows, writerRows, seconds, rows / seconds, walPerRow, diskPerRow);
    }

    /** Two full days of rows, 40 and 39 days old; retention takes the older one, first by DELETE, then by a drop. */
    private void retention(JdbcClient jdbc) {
        jdbc.sql("truncate baton_keys.audit").update();
        jdbc.sql("""
                insert into baton_keys.audit (at, key_name, method, kind, name, status, remote_address)
                select ((now() at time zone 'UTC')::date - 40)::timestamp at time zone 'UTC'
                           + g * (interval '2 days' / :perDay / 2),
                       'bench', 'POST', 'locks', 'orders/' || (g % 1000), 201, '203.0.113.9, 10.42.0.17'
                  from generate_series(0, 2 * :perDay - 1) as g
                """).param("perDay", dayRows).update();
        // The days had no partition, so their rows went to audit_default: into their days' partitions now.
        jdbc.sql("select baton_keys.audit_partitions(null, 0)")
                .query(Integer.class)
                .single();
        jdbc.sql("vacuum analyze baton_keys.audit").update();
        jdbc.sql("create table baton_keys.audit_plain (like baton_keys.audit including defaults)")
                .update();
        jdbc.sql("insert into baton_keys.audit_plain select * from baton_keys.audit")
                .update();
        jdbc.sql("alter table baton_keys.audit_plain add primary key (id)").update();
        jdbc.sql("create index on baton_keys.audit_plain (at)").update();
        jdbc.sql("create index on baton_keys.audit_plain (key_name, id)").update();
        jdbc.sql("create index on baton_keys.audit_plain (kind, name, id)").update();
        jdbc.sql("vacuum analyze baton_keys.audit_plain").update();
        jdbc.sql("checkpoint").update();

        long wal = walBytes(jdbc);
        long started = System.nanoTime();
        int deleted = jdbc.sql("""
                delete from baton_keys.audit_plain
                 where at < ((now() at time zone 'UTC')::date - 39)::timestamp at time zone 'UTC'""").update();
        double seconds = (System.nanoTime() - started) / 1e9;
        long deleteWal = walBytes(jdbc) - wal;
        started = System.nanoTime();
        jdbc.sql("vacuum baton_keys.audit_plain").update();
        double vacuum = (System.nanoTime() - started) / 1e9;
        long vacuumWal = walBytes(jdbc) - wal - deleteWal;
        System.out.printf(
                "  retention by DELETE: %d rows in %.2f s = %,.0f rows/s, %,d WAL bytes (%d a row); then the "
                        + "vacuum of the dead rows: %.2f s, %,d WAL bytes%n",
                deleted, seconds, deleted / seconds, deleteWal, deleteWal / Math.max(1, deleted), vacuum, vacuumWal);

        jdbc.sql("checkpoint").update();
        wal = walBytes(jdbc);
        started = System.nanoTime();
        int dropped = jdbc.sql("select baton_keys.audit_partitions(interval '39 days', 7)")
                .query(Integer.class)
                .single();
        seconds = (System.nanoTime() - started) / 1e9;
        long left = jdbc.sql("select count(*) from baton_keys.audit")
                .query(Long.class)
                .single();
        System.out.printf(
                "  retention by dropping the day: %d partition(s) in %.3f s, %,d WAL bytes; %d rows left%n",
                dropped, seconds, walBytes(jdbc) - wal, left);
        jdbc.sql("drop table baton_keys.audit_plain").update();
    }

    private static String today(JdbcClient jdbc) {
        return jdbc.sql("select to_char((now() at time zone 'UTC')::date, 'YYYYMMDD')")
                .query(String.class)
                .single();
    }

    private static long walBytes(JdbcClient jdbc) {
        return jdbc.sql("select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")
                .query(Long.class)
                .single();
    }
}
