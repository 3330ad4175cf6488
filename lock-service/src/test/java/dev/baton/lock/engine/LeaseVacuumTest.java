package dev.baton.lock.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** The lease tables are vacuumed once their dead rows pass the threshold, whether or not autovacuum runs. */
@BatonServiceTest
@TestPropertySource(properties = {"baton.leases.vacuum-interval=200ms", "baton.leases.vacuum-dead-rows=200"})
class LeaseVacuumTest {

    @LocalServerPort
    int port;

    @Test
    void ended_leases_are_vacuumed_away_once_they_pass_the_threshold() throws Exception {
        TestHttp http = TestHttp.localhost(port);
        String prefix = "vacuum-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 300; i++) {
            String leases = "/api/v1/locks/" + prefix + (i % 8) + "/leases";
            TestHttp.Response granted =
                    http.send("POST", leases, TestApiKeys.WRITE, "{\"owner\":\"o\",\"ttlMs\":30000}");
            assertThat(granted.status()).isEqualTo(201);
            String lease = granted.json().path("leaseId").asString();
            assertThat(http.send("DELETE", leases + "/" + lease, TestApiKeys.WRITE, null)
                            .status())
                    .isEqualTo(204);
        }

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(LeaseVacuumTest::leaseTableVacuumed);
    }

    /** Whether a VACUUM command (not autovacuum) ran on the lease table and left it under the threshold. */
    private static boolean leaseTableVacuumed() throws SQLException {
        try (Connection connection = TestDatabase.get().connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "select last_vacuum is not null as vacuumed, n_dead_tup from pg_stat_user_tables "
                                + "where schemaname = 'locks' and relname = 'lease'")) {
            return row.next() && row.getBoolean("vacuumed") && row.getLong("n_dead_tup") < 200;
        }
    }
}
