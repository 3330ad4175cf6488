package dev.baton.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The lock benchmark's baseline: the least SQL that grants a durable lease with a fencing token,
 * issued over JDBC by the harness itself on the same PostgreSQL as lock-service, in a schema of its
 * own ({@value #SCHEMA}). What lock-service adds over HTTP is measured against this.
 *
 * <p>An acquire is one transaction: the name's advisory lock, the name's expired lease deleted, its
 * token counter upserted (returning the token) and the lease inserted. A release is another: the
 * advisory lock and the lease deleted. Six statements and two commits per cycle, on a pool of
 * {@value #POOL_SIZE} connections with auto-commit off.
 */
final class JdbcLeases implements AutoCloseable {

    static final String SCHEMA = "bench_jdbc";
    private static final int POOL_SIZE = 16;

    private static final String LOCK_NAME = "select pg_advisory_xact_lock(hashtextextended(?, 0))";
    private static final String DELETE_EXPIRED = "delete from lease where name = ? and expires_at <= clock_timestamp()";
    private static final String NEXT_TOKEN = """
            insert into token (name, last_token) values (?, 1)
            on conflict (name) do update set last_token = token.last_token + 1
            returning last_token""";
    private static final String INSERT_LEASE = """
            insert into lease (name, lease_id, owner, token, expires_at)
            values (?, ?, ?, ?, clock_timestamp() + ? * interval '1 millisecond')
            on conflict (name) do nothing""";
    private static final String DELETE_LEASE = "delete from lease where name = ? and lease_id = ?";

    private final HikariDataSource pool;

    private JdbcLeases(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Creates the schema and its tables where missing, and a pool on them. */
    static JdbcLeases create(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect();
                Statement ddl = connection.createStatement()) {
            ddl.execute("create schema if not exists " + SCHEMA);
            ddl.execute("create table if not exists " + SCHEMA + ".token ("
                    + "name text primary key, last_token bigint not null)");
            ddl.execute("create table if not exists " + SCHEMA + ".lease ("
                    + "name text primary key, lease_id uuid not null, owner text not null, token bigint not null, "
                    + "expires_at timestamptz not null)");
        }
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("bench-jdbc");
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setSchema(SCHEMA);
        pool.setMaximumPoolSize(POOL_SIZE);
        pool.setMinimumIdle(POOL_SIZE);
        pool.setAutoCommit(false);
        return new JdbcLeases(pool);
    }

    /** Acquires the lock and releases it. */
    void cycle(String name) throws SQLException {
        UUID leaseId = UUID.randomUUID();
        acquire(name, leaseId, 30_000);
        release(name, leaseId);
    }

    /** Grants the lease, or fails when the name's lease is valid; returns its fencing token. */
    long acquire(String name, UUID leaseId, long ttlMs) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try {
                lockName(connection, name);
                try (PreparedStatement expired = connection.prepareStatement(DELETE_EXPIRED)) {
                    expired.setString(1, name);
                    expired.executeUpdate();
                }
                long token;
                try (PreparedStatement next = connection.prepareStatement(NEXT_TOKEN)) {
                    next.setString(1, name);
                    try (ResultSet rs = next.executeQuery()) {
                        rs.next();
                        token = rs.getLong(1);
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(INSERT_LEASE)) {
                    insert.setString(1, name);
                    insert.setObject(2, leaseId);
                    insert.setString(3, "bench");
                    insert.setLong(4, token);
                    insert.setLong(5, ttlMs);
                    if (insert.executeUpdate() != 1) {
                        throw new IllegalStateException("not granted: " + name + " is held");
                    }
                }
                connection.commit();
                return token;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Ends the lease; fails when it was not valid any more. */
    void release(String name, UUID leaseId) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try {
                lockName(connection, name);
                try (PreparedStatement delete = connection.prepareStatement(DELETE_LEASE)) {
                    delete.setString(1, name);
                    delete.setObject(2, leaseId);
                    if (delete.executeUpdate() != 1) {
                        throw new IllegalStateException("lease " + leaseId + " of " + name + " was gone");
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static void lockName(Connection connection, String name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_NAME)) {
            lock.setString(1, name);
            lock.execute();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
