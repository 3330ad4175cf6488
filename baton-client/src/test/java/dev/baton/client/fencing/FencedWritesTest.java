package dev.baton.client.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FencedWritesTest {

    @BeforeAll
    static void createTable() throws SQLException {
        try (Connection connection = TestDatabase.get().connect()) {
            FencedWrites.createTable(connection);
        }
    }

    @Test
    void a_token_is_admitted_unless_a_higher_one_was() throws SQLException {
        String resource = "orders/" + UUID.randomUUID();
        try (Connection connection = TestDatabase.get().connect()) {
            assertThat(FencedWrites.admit(connection, resource, 5)).isTrue();
            assertThat(FencedWrites.admit(connection, resource, 5)).isTrue();
            assertThat(FencedWrites.admit(connection, resource, 7)).isTrue();
            assertThat(FencedWrites.admit(connection, resource, 6)).isFalse();
            assertThat(FencedWrites.admit(connection, "other/" + resource, 1)).isTrue();
        }
    }

    @Test
    void a_stale_holder_waits_for_the_newer_one_and_is_then_refused() throws Exception {
        String resource = "orders/" + UUID.randomUUID();
        try (Connection newer = TestDatabase.get().connect();
                Connection stale = TestDatabase.get().connect()) {
            newer.setAutoCommit(false);
            stale.setAutoCommit(false);
            assertThat(FencedWrites.admit(newer, resource, 9)).isTrue();

            Thread committer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    newer.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            committer.start();
            boolean admitted = FencedWrites.admit(stale, resource, 8);
            committer.join();
            stale.rollback();

            assertThat(admitted).isFalse();
        }
    }
}
