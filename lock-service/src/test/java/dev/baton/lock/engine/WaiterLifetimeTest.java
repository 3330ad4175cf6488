package dev.baton.lock.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.lock.LockServiceApplication;
import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A waiter lives only as long as the request that waits for it; every grant is announced; a
 * requestId belongs to its caller; a stalled session delays a name no longer than lock_timeout.
 */
@BatonServiceTest
class WaiterLifetimeTest {

    @LocalServerPort
    int port;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private TestHttp http() {
        return TestHttp.localhost(port);
    }

    private static String lock(String owner, long ttlMs, long waitMs, String requestId) {
        return "{\"owner\":\"" + owner + "\",\"ttlMs\":" + ttlMs + ",\"waitMs\":" + waitMs
                + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"") + "}";
    }

    private static String leases(String name) {
        return "/api/v1/locks/" + name + "/leases";
    }

    private int waiters(String name) {
        return http().get("/api/v1/locks/" + name, TestApiKeys.READ)
                .json()
                .path("waiters")
                .asInt();
    }

    @Test
    void a_client_that_disconnects_while_waiting_leaves_no_waiter_behind() throws Exception {
        String name = "gone-" + UUID.randomUUID();
        JsonNode holder = http().send("POST", leases(name), TestApiKeys.WRITE, lock("holder", 60_000, 0, null))
                .json();
        try (Socket leaver = send(leases(name), lock("leaver", 60_000, 60_000, null))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(name) == 1);
        }
        await().atMost(Duration.ofSeconds(1)).until(() -> waiters(name) == 0);

        http().send("DELETE", leases(name) + "/" + holder.path("leaseId").asString(), TestApiKeys.WRITE, null);
        TestHttp.Response next =
                http().send("POST", leases(name), TestApiKeys.WRITE, lock("next", 30_000, 2_000, null));

        assertThat(next.status()).isEqualTo(201);
        assertThat(next.json().path("token").asLong())
                .isEqualTo(holder.path("token").asLong() + 1);
    }

    @Test
    void a_retry_that_joined_a_wait_keeps_it_when_the_first_request_goes_away() throws Exception {
        String name = "joined-" + UUID.randomUUID();
        JsonNode holder = http().send("POST", leases(name), TestApiKeys.WRITE, lock("holder", 60_000, 0, null))
                .json();
        String waiter = lock("patient", 30_000, 20_000, "patient-1");
        CompletableFuture<TestHttp.Response> retry;
        try (Socket first = send(leases(name), waiter)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(name) == 1);
            retry = CompletableFuture.supplyAsync(
                    () -> http().send("POST", leases(name), TestApiKeys.WRITE, waiter), pool);
            // The retry joins the waiter the first request queued.
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        }
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);

        assertThat(waiters(name)).isEqualTo(1);
        http().send("DELETE", leases(name) + "/" + holder.path("leaseId").asString(), TestApiKeys.WRITE, null);
        TestHttp.Response granted = retry.orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(granted.status()).isEqualTo(201);
        assertThat(granted.json().path("owner").asString()).isEqualTo("patient");
    }

    /** Sends a WRITE-key POST over a socket of its own, which the caller closes to go away. */
    private Socket send(String path, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Socket socket = new Socket("localhost", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestApiKeys.WRITE
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    @Test
    void a_release_after_the_lease_expired_still_hands_over_at_once_across_replicas() {
        String name = "late-" + UUID.randomUUID();
        try (ServiceInstance other = ServiceInstance.start(LockServiceApplication.class)) {
            JsonNode holder = http().send("POST", leases(name), TestApiKeys.WRITE, lock("holder", 60_000, 0, null))
                    .json();
            CompletableFuture<TestHttp.Response> waiter = CompletableFuture.supplyAsync(() ->
                    other.http().send("POST", leases(name), TestApiKeys.WRITE, lock("waiter", 30_000, 30_000, null)));
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(name) == 1);
            // Shortened without an announcement: the waiter's replica still expects the first expiry.
            String lease = leases(name) + "/" + holder.path("leaseId").asString();
            assertThat(http().send("PUT", lease, TestApiKeys.WRITE, "{\"ttlMs\":100}")
                            .status())
                    .isEqualTo(200);
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);

            long released = System.nanoTime();
            TestHttp.Response late = http().send("DELETE", lease, TestApiKeys.WRITE, null);
            TestHttp.Response granted = waiter.orTimeout(30, TimeUnit.SECONDS).join();

            assertThat(late.status()).isEqualTo(410);
            assertThat(granted.status()).isEqualTo(201);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released))
                    .isLessThan(1_000);
        }
    }

    @Test
    void a_release_that_grants_more_waiters_than_an_announcement_can_list_reaches_each_of_them() {
        String name = "crowd-" + "x".repeat(150) + "-" + UUID.randomUUID();
        int crowd = 61;
        try (ServiceInstance other = ServiceInstance.start(LockServiceApplication.class)) {
            JsonNode writer = http().send("POST", leases(name), TestApiKeys.WRITE, lock("writer", 60_000, 0, null))
                    .json();
            List<CompletableFuture<TestHttp.Response>> readers = new ArrayList<>();
            for (int i = 0; i < crowd; i++) {
                String reader = "{\"owner\":\"reader-" + i + "\",\"ttlMs\":30000,\"waitMs\":30000,\"mode\":\"SHARED\"}";
                readers.add(CompletableFuture.supplyAsync(
                        () -> other.http().send("POST", leases(name), TestApiKeys.WRITE, reader), pool));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> waiters(name) == crowd);

            http().send("DELETE", leases(name) + "/" + writer.path("leaseId").asString(), TestApiKeys.WRITE, null);

            for (CompletableFuture<TestHttp.Response> reader : readers) {
                assertThat(reader.orTimeout(10, TimeUnit.SECONDS).join().status())
                        .isEqualTo(201);
            }
            assertThat(http().get("/api/v1/locks/" + name, TestApiKeys.READ)
                            .json()
                            .path("holders")
                            .size())
                    .isEqualTo(crowd);
        }
    }

    @Test
    void a_request_id_belongs_to_the_api_key_that_sent_it() {
        String name = "scoped-" + UUID.randomUUID();
        JsonNode first = http().send("POST", leases(name), TestApiKeys.WRITE, lock("alice", 30_000, 0, "job-1"))
                .json();

        TestHttp.Response otherKey =
                http().send("POST", leases(name), TestApiKeys.ADMIN, lock("alice", 30_000, 0, "job-1"));
        TestHttp.Response otherOwner =
                http().send("POST", leases(name), TestApiKeys.WRITE, lock("mallory", 30_000, 0, "job-1"));
        TestHttp.Response otherTtl =
                http().send("POST", leases(name), TestApiKeys.WRITE, lock("alice", 60_000, 0, "job-1"));
        TestHttp.Response retry =
                http().send("POST", leases(name), TestApiKeys.WRITE, lock("alice", 30_000, 0, "job-1"));

        assertThat(otherKey.status()).isEqualTo(409);
        assertThat(otherKey.json().path("type").asString()).isEqualTo("urn:baton:problem:not-granted");
        assertThat(otherKey.body()).doesNotContain(first.path("leaseId").asString());
        assertThat(otherOwner.status()).isEqualTo(409);
        assertThat(otherOwner.isProblem()).isTrue();
        assertThat(otherOwner.json().path("type").asString()).isEqualTo("urn:baton:problem:request-id-conflict");
        assertThat(otherOwner.body()).doesNotContain(first.path("leaseId").asString());
        assertThat(otherTtl.json().path("type").asString()).isEqualTo("urn:baton:problem:request-id-conflict");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().path("leaseId").asString())
                .isEqualTo(first.path("leaseId").asString());
    }

    @Test
    void a_blocking_read_writes_nothing() throws Exception {
        String name = "read-" + UUID.randomUUID();

        TestHttp.Response read = http().get("/api/v1/locks/" + name + "?index=0&wait=1s", TestApiKeys.READ);

        assertThat(read.status()).isEqualTo(200);
        try (Connection connection = TestDatabase.get().connect();
                Statement statement = connection.createStatement();
                var rows = statement.executeQuery("select count(*) from locks.resource where name = '" + name + "'")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void a_session_stalled_on_a_name_delays_an_acquire_no_longer_than_lock_timeout() throws Exception {
        String name = "stalled-" + UUID.randomUUID();
        try (Connection stalled = TestDatabase.get().connect()) {
            stalled.setAutoCommit(false);
            try (Statement statement = stalled.createStatement()) {
                statement.execute("select pg_advisory_xact_lock(hashtextextended('LOCK:" + name + "', 0))");
            }

            long started = System.nanoTime();
            TestHttp.Response blocked =
                    http().send("POST", leases(name), TestApiKeys.WRITE, lock("blocked", 30_000, 0, null));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(blocked.status()).isEqualTo(503);
            assertThat(blocked.isProblem()).isTrue();
            assertThat(blocked.header("Retry-After")).isNotBlank();
            assertThat(tookMs).isBetween(1_500L, 2_500L);
            assertThat(http().get("/actuator/health/readiness", null).status()).isEqualTo(200);
            stalled.rollback();
        }
        assertThat(http().send("POST", leases(name), TestApiKeys.WRITE, lock("after", 30_000, 0, null))
                        .status())
                .isEqualTo(201);
    }
}
