package dev.baton.lock.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.lock.LockServiceApplication;
import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** What a replica does when it loses its event connection or shuts down with requests waiting. */
@BatonServiceTest
class ReplicaFailuresTest {

    @LocalServerPort
    int port;

    @Test
    void a_replica_whose_event_connection_is_killed_reconnects_and_still_hears_grants() throws Exception {
        try (ServiceInstance other = ServiceInstance.start(LockServiceApplication.class)) {
            LockApi here = new LockApi(TestHttp.localhost(port));
            LockApi there = new LockApi(other.http());
            String name = "listener-" + UUID.randomUUID();

            assertThat(terminateEventConnections()).isGreaterThanOrEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> eventConnections() >= 2);

            JsonNode holder = here.granted(name, "holder", 60_000, 0, null);
            CompletableFuture<TestHttp.Response> waiter =
                    CompletableFuture.supplyAsync(() -> there.lock(name, "waiter", 30_000, 20_000, null));
            await().until(() -> here.inspect(name).path("waiters").asInt() == 1);
            here.release(name, holder);

            assertThat(waiter.orTimeout(10, TimeUnit.SECONDS)
                            .join()
                            .json()
                            .path("owner")
                            .asString())
                    .isEqualTo("waiter");
        }
    }

    @Test
    void a_replica_that_shuts_down_withdraws_its_waiters_and_answers_them_503() {
        LockApi here = new LockApi(TestHttp.localhost(port));
        String name = "shutdown-" + UUID.randomUUID();
        here.granted(name, "holder", 60_000, 0, null);
        ServiceInstance doomed = ServiceInstance.start(LockServiceApplication.class);
        LockApi there = new LockApi(doomed.http());
        CompletableFuture<TestHttp.Response> waiter =
                CompletableFuture.supplyAsync(() -> there.lock(name, "waiter", 30_000, 60_000, null));
        await().until(() -> here.inspect(name).path("waiters").asInt() == 1);

        doomed.close();

        TestHttp.Response answer = waiter.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.isProblem()).isTrue();
        assertThat(here.inspect(name).path("waiters").asInt()).isZero();
    }

    private static int terminateEventConnections() throws Exception {
        return count("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                + "where application_name = 'baton-lock-service-events' and datname = current_database()");
    }

    private static int eventConnections() throws Exception {
        return count("select count(*) from pg_stat_activity "
                + "where application_name = 'baton-lock-service-events' and datname = current_database()");
    }

    private static int count(String sql) throws Exception {
        try (Connection connection = TestDatabase.get().connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
