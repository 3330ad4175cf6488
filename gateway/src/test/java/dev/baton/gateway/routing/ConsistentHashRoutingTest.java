package dev.baton.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.common.web.BlockingQuery;
import dev.baton.gateway.GatewayApplication;
import dev.baton.test.ServiceInstance;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The gateway in front of two lock-service replicas, each its own process, found in a real
 * registry: every request for one name lands on one replica, and when that replica is killed
 * the name moves to the other, where its leases keep working.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsistentHashRoutingTest {

    private static ServiceProcess registry;
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static ServiceInstance gateway;

    @BeforeAll
    static void startSuite() {
        registry = ServiceProcess.start("registry");
        List<ServiceProcess> replicas = ServiceProcess.startTogether(
                List.of(ConsistentHashRoutingTest::lockService, ConsistentHashRoutingTest::lockService));
        first = replicas.get(0);
        second = replicas.get(1);
        gateway = ServiceInstance.start(
                GatewayApplication.class,
                "baton.discovery.url=" + registry.url(),
                "baton.discovery.api-key=" + TestApiKeys.READ,
                "baton.discovery.register=false",
                "baton.gateway.upstreams.lock-service=lb://lock-service",
                "baton.gateway.upstreams.scheduler-service=lb://scheduler-service");
    }

    private static ServiceProcess lockService() {
        return ServiceProcess.start(
                "lock-service",
                "baton.discovery.url=" + registry.url(),
                "baton.discovery.api-key=" + TestApiKeys.WRITE,
                "baton.discovery.host=localhost",
                "baton.discovery.ttl=3s",
                "baton.discovery.heartbeat-interval=1s");
    }

    @AfterAll
    static void stopSuite() {
        gateway.close();
        second.close();
        first.close();
        registry.close();
    }

    private static String upstream(TestHttp.Response response) {
        return response.header("X-Baton-Upstream");
    }

    @Test
    @Order(1)
    void every_request_for_one_name_lands_on_one_replica_and_names_spread_over_both() {
        Set<String> used = new HashSet<>();
        for (int n = 0; n < 20; n++) {
            String name = "spread-" + n + "-" + UUID.randomUUID().toString().substring(0, 4);
            Set<String> upstreams = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                TestHttp.Response response = gateway.http().get("/api/v1/locks/" + name, TestApiKeys.READ);
                assertThat(response.status()).isEqualTo(200);
                upstreams.add(upstream(response));
            }
            assertThat(upstreams).hasSize(1);
            used.addAll(upstreams);
        }
        assertThat(used).hasSize(2);
    }

    @Test
    @Order(2)
    void a_request_without_a_key_is_balanced_round_robin() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            TestHttp.Response response = gateway.http().get("/api/v1/locks?prefix=none", TestApiKeys.READ);
            assertThat(response.status()).isEqualTo(200);
            counts.merge(upstream(response), 1, Integer::sum);
        }
        assertThat(counts.values()).containsExactlyInAnyOrder(5, 5);
    }

    @Test
    @Order(3)
    void unknown_routes_bad_names_and_services_without_replicas_answer_problems() {
        TestHttp.Response unknown = gateway.http().get("/api/v1/nothing/here", TestApiKeys.READ);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();

        TestHttp.Response badName =
                gateway.http().send("POST", "/api/v1/locks/bad%20name/leases", TestApiKeys.WRITE, "{\"owner\":\"x\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.isProblem()).isTrue();

        TestHttp.Response noReplica = gateway.http().get("/api/v1/jobs/42", TestApiKeys.READ);
        assertThat(noReplica.status()).isEqualTo(503);
        assertThat(noReplica.isProblem()).isTrue();
    }

    @Test
    @Order(4)
    void a_client_that_disconnects_while_waiting_through_the_gateway_leaves_no_waiter_behind() throws Exception {
        String name = "leaving-" + UUID.randomUUID();
        TestHttp.Response holder = gateway.http()
                .send(
                        "POST",
                        "/api/v1/locks/" + name + "/leases",
                        TestApiKeys.WRITE,
                        "{\"owner\":\"holder\",\"ttlMs\":60000}");
        assertThat(holder.status()).isEqualTo(201);
        byte[] body = "{\"owner\":\"leaver\",\"ttlMs\":60000,\"waitMs\":60000}".getBytes(StandardCharsets.UTF_8);
        try (Socket leaver = new Socket("localhost", gateway.port())) {
            OutputStream out = leaver.getOutputStream();
            out.write(("POST /api/v1/locks/" + name + "/leases HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                            + TestApiKeys.WRITE + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> waiters(name) == 1);
        }

        await().atMost(Duration.ofSeconds(1)).until(() -> waiters(name) == 0);
    }

    private static int waiters(String name) {
        return gateway.http()
                .get("/api/v1/locks/" + name, TestApiKeys.READ)
                .json()
                .path("waiters")
                .asInt();
    }

    @Test
    @Order(5)
    void killing_a_names_replica_moves_the_name_and_its_lease_keeps_working() throws Exception {
        String name = "moving-" + UUID.randomUUID();
        TestHttp.Response granted = gateway.http()
                .send(
                        "POST",
                        "/api/v1/locks/" + name + "/leases",
                        TestApiKeys.WRITE,
                        "{\"owner\":\"mover\",\"ttlMs\":60000}");
        assertThat(granted.status()).isEqualTo(201);
        String before = upstream(granted);
        JsonNode lease = granted.json();

        ServiceProcess victim = before.endsWith("-" + first.port()) ? first : second;
        ServiceProcess survivor = victim == first ? second : first;
        // Two acquires wait on the victim when it dies: the one with a requestId is safe to repeat.
        CompletableFuture<TestHttp.Response> repeatable = CompletableFuture.supplyAsync(() -> gateway.http()
                .send(
                        "POST",
                        "/api/v1/locks/" + name + "/leases",
                        TestApiKeys.WRITE,
                        "{\"owner\":\"patient\",\"ttlMs\":60000,\"waitMs\":30000,\"requestId\":\"patient-1\"}"));
        CompletableFuture<TestHttp.Response> unrepeatable = CompletableFuture.supplyAsync(() -> gateway.http()
                .send(
                        "POST",
                        "/api/v1/locks/" + name + "/leases",
                        TestApiKeys.WRITE,
                        "{\"owner\":\"impatient\",\"ttlMs\":60000,\"waitMs\":30000}"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> victim.http()
                                .get("/api/v1/locks/" + name, TestApiKeys.READ)
                                .json()
                                .path("waiters")
                                .asInt()
                        == 2);
        // And a blocking read waits there for the next change: a GET is safe to repeat too.
        String index =
                victim.http().get("/api/v1/locks/" + name, TestApiKeys.READ).header(BlockingQuery.INDEX_HEADER);
        CompletableFuture<TestHttp.Response> watch = CompletableFuture.supplyAsync(
                () -> gateway.http().get("/api/v1/locks/" + name + "?index=" + index + "&wait=20s", TestApiKeys.READ));
        Thread.sleep(500);
        victim.kill();

        TestHttp.Response cutOff = unrepeatable.get(10, TimeUnit.SECONDS);
        assertThat(cutOff.status()).isEqualTo(502);
        assertThat(cutOff.isProblem()).isTrue();
        assertThat(cutOff.json().path("detail").asString()).contains("requestId");

        TestHttp.Response renewed = gateway.http()
                .send(
                        "PUT",
                        "/api/v1/locks/" + name + "/leases/"
                                + lease.path("leaseId").asString(),
                        TestApiKeys.WRITE,
                        "{\"ttlMs\":60000}");
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(upstream(renewed)).endsWith("-" + survivor.port());
        assertThat(renewed.json().path("token").asLong())
                .isEqualTo(lease.path("token").asLong());

        TestHttp.Response released = gateway.http()
                .send(
                        "DELETE",
                        "/api/v1/locks/" + name + "/leases/"
                                + lease.path("leaseId").asString(),
                        TestApiKeys.WRITE,
                        null);
        assertThat(released.status()).isEqualTo(204);
        assertThat(upstream(released)).endsWith("-" + survivor.port());

        TestHttp.Response watched = watch.get(20, TimeUnit.SECONDS);
        assertThat(watched.status()).as(watched.body()).isEqualTo(200);
        assertThat(upstream(watched)).endsWith("-" + survivor.port());

        TestHttp.Response retried = repeatable.get(30, TimeUnit.SECONDS);
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        assertThat(upstream(retried)).endsWith("-" + survivor.port());
        assertThat(retried.json().path("owner").asString()).isEqualTo("patient");
        assertThat(retried.json().path("token").asLong())
                .isGreaterThan(lease.path("token").asLong());
    }

    @Test
    @Order(6)
    void lease_calls_with_no_replica_left_answer_a_503_problem_with_retry_after() {
        first.kill();
        second.kill();

        TestHttp.Response acquire =
                gateway.http().send("POST", "/api/v1/locks/orphan/leases", TestApiKeys.WRITE, "{\"owner\":\"x\"}");
        assertThat(acquire.status()).isEqualTo(503);
        assertThat(acquire.isProblem()).isTrue();
        assertThat(acquire.header("Retry-After")).isEqualTo("1");
        assertThat(acquire.json().path("detail").asString()).contains("not reachable");
    }
}
