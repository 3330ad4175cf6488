package dev.baton.lock.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.RawHttp;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@BatonServiceTest
class LockApiTest {

    @LocalServerPort
    int port;

    LockApi api;
    String name;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void setUp() {
        api = new LockApi(TestHttp.localhost(port));
        name = "test-" + UUID.randomUUID();
    }

    /**
     * Keeps the sweeper from running during a test, as if another replica held its lock, so that
     * what the test sees is the work of the replica's own timers and calls.
     */
    private void holdTheSweeper() {
        jdbc.sql("""
                insert into shedlock (name, lock_until, locked_at, locked_by)
                values ('lease-sweeper', now() + interval '30 seconds', now(), 'LockApiTest')
                on conflict (name) do update set lock_until = excluded.lock_until, locked_at = excluded.locked_at,
                    locked_by = excluded.locked_by""").update();
    }

    @AfterEach
    void freeTheSweeper() {
        jdbc.sql("update shedlock set lock_until = now() where name = 'lease-sweeper' and locked_by = 'LockApiTest'")
                .update();
    }

    @Test
    void an_exclusive_lock_is_granted_once_and_refused_with_the_holder_named() {
        JsonNode lease = api.granted(name, "alice", 30_000, 0, null);

        TestHttp.Response refused = api.lock(name, "bob", 30_000, 0, null);

        assertThat(lease.path("token").asLong()).isEqualTo(1);
        assertThat(lease.path("mode").asString()).isEqualTo("EXCLUSIVE");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().path("type").asString()).isEqualTo("urn:baton:problem:not-granted");
        assertThat(refused.json().path("holders").get(0).path("owner").asString())
                .isEqualTo("alice");
    }

    @Test
    void release_frees_the_lock_and_a_second_release_is_410() {
        JsonNode lease = api.granted(name, "alice", 30_000, 0, null);

        assertThat(api.release(name, lease).status()).isEqualTo(204);
        TestHttp.Response again = api.release(name, lease);

        assertThat(again.status()).isEqualTo(410);
        assertThat(again.json().path("type").asString()).isEqualTo("urn:baton:problem:lease-lost");
        assertThat(api.granted(name, "bob", 30_000, 0, null).path("token").asLong())
                .isEqualTo(2);
    }

    @Test
    void a_lease_expires_on_its_ttl_and_cannot_be_renewed_after() throws Exception {
        JsonNode lease = api.granted(name, "alice", 300, 0, null);
        assertThat(api.renew(name, lease, 300).status()).isEqualTo(200);

        Thread.sleep(600);

        assertThat(api.renew(name, lease, 30_000).status()).isEqualTo(410);
        assertThat(api.inspect(name).path("holders")).isEmpty();
        assertThat(api.granted(name, "bob", 30_000, 0, null).path("token").asLong())
                .isEqualTo(2);
    }

    @Test
    void renewal_moves_the_expiry() {
        JsonNode lease = api.granted(name, "alice", 1_000, 0, null);

        JsonNode renewed = api.renew(name, lease, 60_000).json();

        assertThat(renewed.path("ttlMs").asLong()).isEqualTo(60_000);
        assertThat(renewed.path("expiresAt").asString())
                .isGreaterThan(lease.path("expiresAt").asString());
        assertThat(renewed.path("token").asLong()).isEqualTo(lease.path("token").asLong());
    }

    @Test
    void waiters_are_granted_in_arrival_order() {
        JsonNode holder = api.granted(name, "holder", 30_000, 0, null);
        List<CompletableFuture<TestHttp.Response>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String owner = "waiter-" + i;
            waiters.add(CompletableFuture.supplyAsync(() -> api.lock(name, owner, 30_000, 20_000, null)));
            int queued = i + 1;
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> api.inspect(name).path("waiters").asInt() == queued);
        }

        List<String> grantOrder = new ArrayList<>();
        JsonNode current = holder;
        for (CompletableFuture<TestHttp.Response> waiter : waiters) {
            api.release(name, current);
            current = waiter.join().json();
            grantOrder.add(current.path("owner").asString() + "#"
                    + current.path("token").asLong());
        }

        assertThat(grantOrder).containsExactly("waiter-0#2", "waiter-1#3", "waiter-2#4", "waiter-3#5", "waiter-4#6");
    }

    @Test
    void readers_share_and_a_waiting_writer_is_not_overtaken_by_later_readers() {
        JsonNode reader1 = api.granted(name, "reader-1", 30_000, 0, "SHARED");
        JsonNode reader2 = api.granted(name, "reader-2", 30_000, 0, "SHARED");
        CompletableFuture<TestHttp.Response> writer =
                CompletableFuture.supplyAsync(() -> api.lock(name, "writer", 30_000, 20_000, "EXCLUSIVE"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.inspect(name).path("waiters").asInt() == 1);
        CompletableFuture<TestHttp.Response> lateReader =
                CompletableFuture.supplyAsync(() -> api.lock(name, "reader-3", 30_000, 20_000, "SHARED"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.inspect(name).path("waiters").asInt() == 2);

        api.release(name, reader1);
        assertThat(writer).isNotDone();
        api.release(name, reader2);
        JsonNode writerLease = writer.join().json();
        assertThat(lateReader).isNotDone();
        api.release(name, writerLease);

        assertThat(lateReader.join().json().path("owner").asString()).isEqualTo("reader-3");
    }

    @Test
    void a_waiter_is_granted_by_its_replicas_timer_when_the_holder_expires() {
        holdTheSweeper();
        JsonNode crashed = api.granted(name, "crashed", 500, 0, null);

        JsonNode lease = api.granted(name, "patient", 30_000, 10_000, null);

        assertThat(lease.path("token").asLong()).isEqualTo(2);
        assertThat(Duration.between(
                        Instant.parse(crashed.path("expiresAt").asString()),
                        Instant.parse(lease.path("grantedAt").asString())))
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void a_wait_that_runs_out_is_409_and_leaves_no_waiter_behind() {
        holdTheSweeper();
        api.granted(name, "alice", 30_000, 0, null);

        TestHttp.Response response = api.lock(name, "bob", 30_000, 300, null);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("detail").asString()).contains("300 ms", "alice");
        assertThat(jdbc.sql("select count(*) from waiter where name = :name")
                        .param("name", name)
                        .query(Integer.class)
                        .single())
                .as("waiter rows, out of time or not")
                .isZero();
    }

    @Test
    void a_retry_with_the_same_request_id_returns_the_same_lease() {
        String body = "{\"owner\":\"alice\",\"ttlMs\":30000,\"requestId\":\"req-1\"}";

        JsonNode first = api.http
                .send("POST", "/api/v1/locks/" + name + "/leases", TestApiKeys.WRITE, body)
                .json();
        JsonNode retry = api.http
                .send("POST", "/api/v1/locks/" + name + "/leases", TestApiKeys.WRITE, body)
                .json();

        assertThat(retry.path("leaseId").asString())
                .isEqualTo(first.path("leaseId").asString());
        assertThat(retry.path("token").asLong()).isEqualTo(first.path("token").asLong());
    }

    @Test
    void semaphore_permits_are_counted_against_the_limit() {
        String path = "/api/v1/semaphores/" + name + "/leases";
        String two = "{\"owner\":\"a\",\"permits\":2,\"limit\":3,\"ttlMs\":30000}";

        assertThat(api.http.send("POST", path, TestApiKeys.WRITE, two).status()).isEqualTo(201);
        assertThat(api.http.send("POST", path, TestApiKeys.WRITE, two).status()).isEqualTo(409);
        assertThat(api.http
                        .send("POST", path, TestApiKeys.WRITE, "{\"owner\":\"b\",\"permits\":1,\"limit\":3}")
                        .status())
                .isEqualTo(201);
        TestHttp.Response mismatch =
                api.http.send("POST", path, TestApiKeys.WRITE, "{\"owner\":\"c\",\"permits\":1,\"limit\":5}");
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.json().path("type").asString()).isEqualTo("urn:baton:problem:limit-mismatch");
        JsonNode view =
                api.http.get("/api/v1/semaphores/" + name, TestApiKeys.READ).json();
        assertThat(view.path("permitLimit").asInt()).isEqualTo(3);
        assertThat(view.path("holders")).hasSize(2);
    }

    @Test
    void a_leader_is_elected_observed_and_resigns() {
        String campaign = "/api/v1/elections/" + name + "/campaign";
        JsonNode leader = api.http
                .send(
                        "POST",
                        campaign,
                        TestApiKeys.WRITE,
                        "{\"candidate\":\"node-a\",\"value\":\"10.0.0.1:9000\",\"ttlMs\":30000}")
                .json();
        assertThat(api.http
                        .send("POST", campaign, TestApiKeys.WRITE, "{\"candidate\":\"node-b\"}")
                        .status())
                .isEqualTo(409);
        TestHttp.Response observed = api.http.get("/api/v1/elections/" + name + "/leader", TestApiKeys.READ);
        assertThat(observed.json().path("leader").path("value").asString()).isEqualTo("10.0.0.1:9000");
        long index = observed.json().path("index").asLong();

        CompletableFuture<TestHttp.Response> watch = CompletableFuture.supplyAsync(() ->
                api.http.get("/api/v1/elections/" + name + "/leader?index=" + index + "&wait=20s", TestApiKeys.READ));
        api.http.send(
                "DELETE",
                "/api/v1/elections/" + name + "/leases/"
                        + leader.path("leaseId").asString(),
                TestApiKeys.WRITE,
                null);

        JsonNode afterResign = watch.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .join()
                .json();
        assertThat(afterResign.path("leader").isNull()).isTrue();
        assertThat(afterResign.path("index").asLong()).isGreaterThan(index);
    }

    @Test
    void force_release_needs_admin_and_its_holder_then_gets_410() {
        JsonNode lease = api.granted(name, "alice", 30_000, 0, null);

        assertThat(api.http
                        .send("DELETE", "/api/v1/locks/" + name, TestApiKeys.WRITE, null)
                        .status())
                .isEqualTo(403);
        assertThat(api.http
                        .send("DELETE", "/api/v1/locks/" + name, TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);

        assertThat(api.renew(name, lease, 30_000).status()).isEqualTo(410);
        assertThat(api.inspect(name).path("lastToken").asLong()).isEqualTo(1);
    }

    @Test
    void a_name_may_hold_an_encoded_slash() {
        JsonNode lease = api.granted("orders%2F42", "alice", 30_000, 0, null);

        assertThat(lease.path("name").asString()).isEqualTo("orders/42");
        assertThat(api.inspect("orders%2F42").path("holders")).hasSize(1);
        assertThat(api.release("orders%2F42", lease).status()).isEqualTo(204);
    }

    @Test
    void listing_pages_by_prefix_and_counts_the_valid_leases_under_it_on_every_page() {
        api.granted(name + "-0", "alice", 30_000, 0, "SHARED");
        api.granted(name + "-1", "alice", 30_000, 0, "SHARED");
        api.granted(name + "-1", "bob", 30_000, 0, "SHARED");
        JsonNode released = api.granted(name + "-2", "alice", 30_000, 0, null);
        assertThat(api.release(name + "-2", released).status()).isEqualTo(204);

        JsonNode first = api.http
                .get("/api/v1/locks?prefix=" + name + "&limit=2", TestApiKeys.READ)
                .json();
        JsonNode second = api.http
                .get(
                        "/api/v1/locks?prefix=" + name + "&limit=2&cursor="
                                + first.path("nextCursor").asString(),
                        TestApiKeys.READ)
                .json();

        assertThat(first.path("items")).hasSize(2);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("items").get(0).path("name").asString()).isEqualTo(name + "-2");
        assertThat(second.path("nextCursor").isNull()).isTrue();
        assertThat(first.path("leases").asLong()).isEqualTo(3);
        assertThat(second.path("leases").asLong()).isEqualTo(3);
    }

    @Test
    void every_bad_input_is_a_4xx_problem() {
        String locks = "/api/v1/locks/";
        List<String[]> cases = List.of(
                new String[] {"POST", locks + "a%20b/leases", "{\"owner\":\"a\"}"},
                new String[] {"POST", locks + "a%7Cb/leases", "{\"owner\":\"a\"}"},
                new String[] {"POST", locks + "x".repeat(201) + "/leases", "{\"owner\":\"a\"}"},
                new String[] {"POST", locks + "ok/leases", "{\"owner\":\"a\",\"ttlMs\":-1}"},
                new String[] {"POST", locks + "ok/leases", "{\"owner\":\"a\",\"ttlMs\":99999999999}"},
                new String[] {"POST", locks + "ok/leases", "{\"owner\":\"a\",\"waitMs\":-5}"},
                new String[] {"POST", locks + "ok/leases", "{\"owner\":\"a\",\"waitMs\":600000}"},
                new String[] {"POST", locks + "ok/leases", "{\"owner\":\"a\",\"mode\":\"SIDEWAYS\"}"},
                new String[] {"POST", locks + "ok/leases", "{\"owner\":\"a\",\"ttlMs\":\"long\"}"},
                new String[] {"POST", locks + "ok/leases", "{\"owner\":"},
                new String[] {"POST", locks + "ok/leases", "{}"},
                new String[] {"POST", locks + "ok/leases", "[1,2]"},
                new String[] {"POST", locks + "ok/leases", ""},
                new String[] {"PUT", locks + "ok/leases/not-a-uuid", "{}"},
                new String[] {"PUT", locks + "ok/leases/" + UUID.randomUUID(), "{\"ttlMs\":1}"},
                new String[] {"DELETE", locks + "ok/leases/not-a-uuid", null},
                new String[] {"GET", locks + "ok?wait=forever", null},
                new String[] {"GET", locks + "ok?index=-1", null},
                new String[] {"GET", locks + "ok?index=abc", null},
                new String[] {"GET", "/api/v1/locks?limit=0", null},
                new String[] {"POST", "/api/v1/semaphores/ok/leases", "{\"owner\":\"a\",\"permits\":4,\"limit\":3}"},
                new String[] {"POST", "/api/v1/semaphores/ok/leases", "{\"owner\":\"a\"}"},
                new String[] {"POST", "/api/v1/elections/ok/campaign", "{\"candidate\":\"\"}"});
        for (String[] request : cases) {
            TestHttp.Response response = api.http.send(request[0], request[1], TestApiKeys.ADMIN, request[2]);
            assertThat(response.status())
                    .as("%s %s %s", request[0], request[1], request[2])
                    .isBetween(400, 499);
            assertThat(response.isProblem())
                    .as("%s %s is a problem", request[0], request[1])
                    .isTrue();
        }
    }

    @Test
    void text_that_cannot_be_stored_is_refused_naming_its_field_and_nothing_is_granted() {
        String lock = "/api/v1/locks/" + name + "/leases";
        String election = "/api/v1/elections/" + name + "/campaign";
        List<String[]> cases = List.of(
                new String[] {lock, "owner", "{\"owner\":\"a\\u0000b\"}"},
                new String[] {lock, "owner", "{\"owner\":\"\\udc00\"}"},
                new String[] {lock, "requestId", "{\"owner\":\"a\",\"requestId\":\"r\\u0000\"}"},
                new String[] {election, "value", "{\"candidate\":\"a\",\"value\":\"\\ud800x\"}"});
        for (String[] request : cases) {
            TestHttp.Response response = api.http.send("POST", request[0], TestApiKeys.WRITE, request[2]);
            assertThat(response.status()).as(request[2]).isEqualTo(400);
            assertThat(response.json().path("errors").get(0).path("field").asString())
                    .isEqualTo(request[1]);
        }
        TestHttp.Response listed = api.http.get("/api/v1/locks?prefix=" + name + "%00", TestApiKeys.READ);
        assertThat(listed.status()).isEqualTo(400);
        assertThat(listed.json().path("errors").get(0).path("field").asString()).isEqualTo("prefix");
        assertThat(api.inspect(name).path("lastToken").asLong()).isZero();
    }

    /** Acquire, renew and release are served below WebFlux: the same keys, problems and request timers. */
    @Test
    void lease_routes_check_keys_refuse_what_they_cannot_read_and_are_timed() {
        String path = "/api/v1/locks/" + name + "/leases";
        String body = "{\"owner\":\"a\"}";

        TestHttp.Response noKey = api.http.send("POST", path, null, body);
        TestHttp.Response readKey = api.http.send("POST", path, TestApiKeys.READ, body);
        TestHttp.Response text = api.http.send(api.http
                .request(path)
                .header("Authorization", "Bearer " + TestApiKeys.WRITE)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        TestHttp.Response huge =
                api.http.send("POST", path, TestApiKeys.WRITE, "{\"owner\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
        JsonNode lease = api.granted(name + "%2Fwith-a-slash", "alice", 30_000, 0, null);

        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(readKey.status()).isEqualTo(403);
        assertThat(text.status()).isEqualTo(415);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(List.of(noKey, readKey, text, huge)).allMatch(TestHttp.Response::isProblem);
        assertThat(lease.path("name").asString()).isEqualTo(name + "/with-a-slash");
        assertThat(api.release(name + "%2Fwith-a-slash", lease).status()).isEqualTo(204);
        String metrics = api.http.get("/actuator/prometheus", TestApiKeys.ADMIN).body();
        assertThat(metrics)
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\",[^}]*"
                        + "status=\"201\",uri=\"/api/v1/locks/\\{name}/leases\"} [1-9]");
        assertThat(metrics)
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"DELETE\",[^}]*"
                        + "status=\"204\",uri=\"/api/v1/locks/\\{name}/leases/\\{leaseId}\"} [1-9]");
    }

    /**
     * A lease call answered without its body being read (no key, an invalid name, an invalid
     * lease id) leaves its connection serving the next request: also when it arrived behind
     * another call still in flight on that connection, and was queued.
     */
    @Test
    void a_refused_lease_call_leaves_its_connection_usable() {
        String body = "{\"owner\":\"w\",\"ttlMs\":30000,\"waitMs\":0}";
        String leases = "/api/v1/locks/" + name + "/leases";
        String[][] refusals = {
            {"POST", leases, null, "401"},
            {"POST", "/api/v1/locks/a%20b/leases", TestApiKeys.WRITE, "400"},
            {"PUT", leases + "/not-a-lease-id", TestApiKeys.WRITE, "400"}
        };
        String acquire = RawHttp.head("POST", leases, TestApiKeys.WRITE, body.length()) + body;
        try (RawHttp connection = RawHttp.connect(port)) {
            for (String[] refusal : refusals) {
                connection.write(acquire + RawHttp.head(refusal[0], refusal[1], refusal[2], body.length()) + body);
                assertThat(connection.status()).isIn(201, 409);
                assertThat(connection.status()).as(refusal[1]).isEqualTo(Integer.parseInt(refusal[3]));
                connection.write(acquire);
                assertThat(connection.status())
                        .as("the call after " + refusal[1])
                        .isEqualTo(409);
            }
        }
    }
}
