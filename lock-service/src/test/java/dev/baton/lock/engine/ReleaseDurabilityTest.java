package dev.baton.lock.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which lease calls commit without waiting for their WAL flush (V8, docs/adr/0019): a release
 * that grants nobody, alone or in a batch of such releases, and nothing else. The setting a
 * transaction holds when it commits is the one PostgreSQL applies to that commit.
 */
@BatonServiceTest
class ReleaseDurabilityTest {

    private Connection session;

    @BeforeEach
    void connect() throws SQLException {
        session = TestDatabase.get().connect();
        try (Statement statement = session.createStatement()) {
            statement.execute("set search_path to locks");
            // The server's default, which the test database may have turned off for speed.
            statement.execute("set synchronous_commit to on");
        }
    }

    @AfterEach
    void disconnect() throws SQLException {
        session.close();
    }

    @Test
    void a_release_that_grants_nobody_commits_without_waiting_for_the_flush() throws SQLException {
        String name = "durability-" + UUID.randomUUID();
        UUID lease = acquire(name, 0);

        assertThat(committedAs("select * from lease_release('LOCK', ?, ?)", name, lease))
                .isEqualTo("off");
        assertThat(count("select count(*) from lease where lease_id = ?", lease))
                .isZero();
    }

    @Test
    void a_batch_of_such_releases_commits_without_waiting_and_a_batch_with_any_other_call_waits() throws SQLException {
        String first = "durability-" + UUID.randomUUID();
        String second = "durability-" + UUID.randomUUID();
        UUID one = acquire(first, 0);
        UUID two = acquire(second, 0);
        assertThat(committedAs(batch("release", "release"), first, second, one, two))
                .isEqualTo("off");

        UUID again = acquire(first, 0);
        assertThat(committedAs(batch("release", "acquire"), first, second, again, UUID.randomUUID()))
                .isEqualTo("on");
    }

    @Test
    void a_release_that_grants_a_waiter_and_every_other_call_wait_for_the_flush() throws SQLException {
        String name = "durability-" + UUID.randomUUID();
        UUID holder = acquire(name, 0);
        UUID waiter = UUID.randomUUID();
        assertThat(committedAs(
                        "select * from lease_acquire('LOCK', ?, ?, 'waiter', 'EXCLUSIVE', 1, null, 30000, "
                                + "30000, 'test', null, null, null, null)",
                        name,
                        waiter))
                .isEqualTo("on");

        assertThat(committedAs("select * from lease_release('LOCK', ?, ?)", name, holder))
                .isEqualTo("on");
        assertThat(count("select count(*) from lease where lease_id = ?", waiter))
                .isOne();
        assertThat(committedAs("select * from lease_renew('LOCK', ?, ?, null)", name, waiter))
                .isEqualTo("on");
        assertThat(committedAs("select * from lease_force_release('LOCK', ?)", name))
                .isEqualTo("on");
    }

    @Test
    void with_durable_releases_every_release_waits_for_the_flush() throws SQLException {
        try (Statement statement = session.createStatement()) {
            statement.execute("set baton.durable_releases = true");
        }
        String name = "durability-" + UUID.randomUUID();
        UUID lease = acquire(name, 0);

        assertThat(committedAs("select * from lease_release('LOCK', ?, ?)", name, lease))
                .isEqualTo("on");
    }

    /** Acquires {@code name} in a transaction of its own, which must wait for the flush; answers the lease id. */
    private UUID acquire(String name, long waitMs) throws SQLException {
        UUID id = UUID.randomUUID();
        assertThat(committedAs(
                        "select * from lease_acquire('LOCK', ?, ?, 'test', 'EXCLUSIVE', 1, null, 30000, " + waitMs
                                + ", 'test', null, null, null, null)",
                        name,
                        id))
                .isEqualTo("on");
        assertThat(count("select count(*) from lease where lease_id = ?", id)).isOne();
        return id;
    }

    /** A two-call batch: ops on names 1 and 2 with ids 3 and 4, as the replica sends it. */
    private static String batch(String firstOp, String secondOp) {
        return "select * from lease_batch(array['" + firstOp + "', '" + secondOp + "'], array['LOCK', 'LOCK'], "
                + "array[?, ?]::text[], array[?, ?]::uuid[], array['test', 'test'], "
                + "array['EXCLUSIVE', 'EXCLUSIVE'], array[1, 1], array[null, null]::integer[], "
                + "array[30000, 30000]::bigint[], array[0, 0]::bigint[], array['test', 'test'], "
                + "array[null, null]::text[], array[null, null]::text[], array[null, null]::text[], "
                + "array[null, null]::uuid[], array[null, null]::boolean[])";
    }

    /** Runs the call in a transaction and answers its synchronous_commit as it commits. */
    private String committedAs(String sql, Object... args) throws SQLException {
        session.setAutoCommit(false);
        try {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement call = session.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    call.setObject(i + 1, args[i]);
                }
                try (ResultSet result = call.executeQuery()) {
                    while (result.next()) {
                        rows.add(result.getString("what"));
                    }
                }
            }
            assertThat(rows).as(sql).isNotEmpty().doesNotContain("BUSY");
            String setting;
            try (Statement statement = session.createStatement();
                    ResultSet result = statement.executeQuery("select current_setting('synchronous_commit')")) {
                result.next();
                setting = result.getString(1);
            }
            session.commit();
            return setting;
        } finally {
            session.setAutoCommit(true);
        }
    }

    private long count(String sql, Object arg) throws SQLException {
        try (PreparedStatement query = session.prepareStatement(sql)) {
            query.setObject(1, arg);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
