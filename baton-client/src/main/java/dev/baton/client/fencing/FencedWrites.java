package dev.baton.client.fencing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The guard a PostgreSQL-backed resource puts in front of writes made under a Baton lock: a
 * write is admitted only with a fencing token at least as high as the highest the resource has
 * admitted. A holder that was paused past its lease (a GC pause, a partition) and comes back
 * with an old token is refused, even though it still believes it holds the lock.
 *
 * <pre>{@code
 * connection.setAutoCommit(false);
 * if (!FencedWrites.admit(connection, "orders/42", lease.token())) {
 *     connection.rollback();            // a newer holder has written: stop
 *     return;
 * }
 * update orders ... ;                   // the protected write, in the same transaction
 * connection.commit();
 * }</pre>
 *
 * <p>The check takes a row lock on the resource's fence row until the transaction ends, so
 * fenced writers to one resource are serialized, and a write commits only if its token was
 * current when it committed.
 */
public final class FencedWrites {

    /** The table of highest admitted tokens; create it once with {@link #createTable}. */
    public static final String TABLE = "baton_fence";

    private FencedWrites() {}

    public static void createTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + TABLE
                    + " (resource varchar(200) primary key, token bigint not null)");
        }
    }

    /**
     * Admits {@code token} for {@code resource} when no higher token was admitted before, and
     * records it; call it in the transaction of the protected write.
     *
     * @return false when a higher token was admitted: the caller must roll back
     */
    public static boolean admit(Connection connection, String resource, long token) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("insert into " + TABLE
                + " (resource, token) values (?, ?) on conflict (resource) do update set token = excluded.token"
                + " where " + TABLE + ".token <= excluded.token")) {
            statement.setString(1, resource);
            statement.setLong(2, token);
            return statement.executeUpdate() == 1;
        }
    }
}
