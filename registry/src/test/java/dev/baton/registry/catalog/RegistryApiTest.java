package dev.baton.registry.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.registry.RegistryApplication;
import dev.baton.registry.TwoRegistries;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The registry over HTTP, on two replicas sharing one database. Every registry in these tests
 * protects the service {@code fragile} at 0.9 and sweeps every 200 ms (test application.properties).
 */
class RegistryApiTest extends TwoRegistries {

    private static String service() {
        return "svc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TestHttp.Response register(TestHttp http, String service, String id, String body) {
        return http.send("PUT", "/api/v1/registry/services/" + service + "/instances/" + id, TestApiKeys.WRITE, body);
    }

    private static TestHttp.Response list(TestHttp http, String service, String query) {
        return http.get("/api/v1/registry/services/" + service + "/instances" + query, TestApiKeys.READ);
    }

    private static List<String> ids(TestHttp.Response response) {
        List<String> ids = new ArrayList<>();
        response.json().forEach(instance -> ids.add(instance.path("instanceId").asString()));
        return ids;
    }

    @Test
    void an_instance_registers_heartbeats_and_deregisters() throws Exception {
        String service = service();
        TestHttp.Response registered = register(http(), service, "a-1", """
                {"host":"10.0.0.7","port":8080,"zone":"eu-1","weight":3,"metadata":{"version":"2.1"},"ttlMs":5000}""");
        assertThat(registered.status()).isEqualTo(200);
        JsonNode instance = registered.json();
        assertThat(instance.path("host").asString()).isEqualTo("10.0.0.7");
        assertThat(instance.path("weight").asInt()).isEqualTo(3);
        assertThat(instance.path("healthy").asBoolean()).isTrue();
        Instant registeredAt = Instant.parse(instance.path("registeredAt").asString());
        Instant expiresAt = Instant.parse(instance.path("expiresAt").asString());
        assertThat(Duration.between(registeredAt, expiresAt)).isEqualTo(Duration.ofMillis(5000));

        TestHttp.Response listed = list(second.http(), service, "");
        assertThat(ids(listed)).containsExactly("a-1");
        assertThat(listed.json().get(0).path("metadata").path("version").asString())
                .isEqualTo("2.1");

        Thread.sleep(20);
        TestHttp.Response beat = http().send(
                        "PUT",
                        "/api/v1/registry/services/" + service + "/instances/a-1/heartbeat",
                        TestApiKeys.WRITE,
                        null);
        assertThat(beat.status()).isEqualTo(200);
        assertThat(Instant.parse(beat.json().path("expiresAt").asString())).isAfter(expiresAt);

        JsonNode services =
                http().get("/api/v1/registry/services", TestApiKeys.READ).json().path("services");
        assertThat(services.findValues("name").stream().map(JsonNode::asString)).contains(service);

        assertThat(http().send(
                                "DELETE",
                                "/api/v1/registry/services/" + service + "/instances/a-1",
                                TestApiKeys.WRITE,
                                null)
                        .status())
                .isEqualTo(204);
        assertThat(ids(list(http(), service, ""))).isEmpty();
        assertThat(http().send(
                                "PUT",
                                "/api/v1/registry/services/" + service + "/instances/a-1/heartbeat",
                                TestApiKeys.WRITE,
                                null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void an_instance_that_misses_its_heartbeat_is_no_longer_listed_and_is_removed() {
        String service = service();
        register(http(), service, "short", "{\"host\":\"h1\",\"port\":1,\"ttlMs\":1000}");
        register(http(), service, "long", "{\"host\":\"h2\",\"port\":2,\"ttlMs\":60000}");
        assertThat(ids(list(http(), service, ""))).containsExactly("long", "short");

        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ids(list(http(), service, "")).equals(List.of("long")));
        TestHttp.Response beat = http().send(
                        "PUT",
                        "/api/v1/registry/services/" + service + "/instances/short/heartbeat",
                        TestApiKeys.WRITE,
                        null);
        assertThat(beat.status()).isEqualTo(404);
        assertThat(beat.isProblem()).isTrue();
        await().atMost(Duration.ofSeconds(3)).until(() -> count(service) == 1);
    }

    private long count(String service) {
        for (JsonNode summary :
                http().get("/api/v1/registry/services", TestApiKeys.READ).json().path("services")) {
            if (summary.path("name").asString().equals(service)) {
                return summary.path("instances").asLong();
            }
        }
        return 0;
    }

    @Test
    void lists_filter_by_zone_and_metadata() {
        String service = service();
        register(
                http(),
                service,
                "a",
                "{\"host\":\"h\",\"port\":1,\"zone\":\"z1\",\"metadata\":{\"v\":\"1\",\"t\":\"x\"}}");
        register(http(), service, "b", "{\"host\":\"h\",\"port\":2,\"zone\":\"z2\",\"metadata\":{\"v\":\"1\"}}");
        register(http(), service, "c", "{\"host\":\"h\",\"port\":3,\"zone\":\"z1\",\"metadata\":{\"v\":\"2\"}}");

        assertThat(ids(list(http(), service, "?zone=z1"))).containsExactly("a", "c");
        assertThat(ids(list(http(), service, "?metadata.v=1"))).containsExactly("a", "b");
        assertThat(ids(list(http(), service, "?zone=z1&metadata.v=1&metadata.t=x")))
                .containsExactly("a");
        assertThat(ids(list(http(), service, "?metadata.v=3"))).isEmpty();
    }

    @Test
    void a_watcher_on_one_replica_is_woken_by_a_registration_on_the_other() throws Exception {
        String service = service();
        register(http(), service, "first", "{\"host\":\"h\",\"port\":1}");
        long index = Long.parseLong(list(second.http(), service, "").header("X-Baton-Index"));

        CompletableFuture<TestHttp.Response> watch =
                CompletableFuture.supplyAsync(() -> list(second.http(), service, "?index=" + index + "&wait=20s"));
        Thread.sleep(300);
        assertThat(watch).isNotDone();
        long changedAt = System.nanoTime();
        register(http(), service, "second", "{\"host\":\"h\",\"port\":2}");
        TestHttp.Response woken = watch.get(5, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - changedAt) / 1_000_000;

        assertThat(ids(woken)).containsExactly("first", "second");
        assertThat(Long.parseLong(woken.header("X-Baton-Index"))).isGreaterThan(index);
        assertThat(tookMs).isLessThan(2000);
    }

    @Test
    void the_service_list_is_a_blocking_query_too() throws Exception {
        TestHttp.Response before = second.http().get("/api/v1/registry/services", TestApiKeys.READ);
        long index = Long.parseLong(before.header("X-Baton-Index"));
        CompletableFuture<TestHttp.Response> watch = CompletableFuture.supplyAsync(
                () -> second.http().get("/api/v1/registry/services?index=" + index + "&wait=20s", TestApiKeys.READ));
        Thread.sleep(300);
        assertThat(watch).isNotDone();
        String service = service();
        register(http(), service, "x", "{\"host\":\"h\",\"port\":1}");

        TestHttp.Response woken = watch.get(5, TimeUnit.SECONDS);
        assertThat(woken.json().path("services").findValues("name").stream().map(JsonNode::asString))
                .contains(service);
    }

    @Test
    void a_blocking_query_without_change_answers_after_its_wait_with_the_same_index() {
        String service = service();
        register(http(), service, "only", "{\"host\":\"h\",\"port\":1}");
        long index = Long.parseLong(list(http(), service, "").header("X-Baton-Index"));
        long started = System.nanoTime();
        TestHttp.Response answer = list(http(), service, "?index=" + index + "&wait=700ms");
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Baton-Index")).isEqualTo(String.valueOf(index));
        assertThat(tookMs).isGreaterThanOrEqualTo(650);
    }

    @Test
    void a_protected_service_keeps_listing_its_expired_instances() {
        String service = "fragile";
        for (int i = 1; i <= 4; i++) {
            register(
                    http(),
                    service,
                    "p" + i,
                    "{\"host\":\"h\",\"port\":" + i + ",\"ttlMs\":" + (i == 1 ? 60000 : 1000) + "}");
        }
        await().atMost(Duration.ofSeconds(3))
                .until(() -> list(http(), service, "").json().findValues("healthy").stream()
                                .filter(healthy -> !healthy.asBoolean())
                                .count()
                        == 3);
        // Several sweeps later: one healthy of four is below the threshold of 0.9, nothing was removed.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(2))
                .until(() -> ids(list(second.http(), service, "")).size() == 4);
        assertThat(count(service)).isEqualTo(4);

        for (int i = 2; i <= 4; i++) {
            register(http(), service, "p" + i, "{\"host\":\"h\",\"port\":" + i + ",\"ttlMs\":60000}");
        }
        assertThat(list(http(), service, "").json().findValues("healthy").stream()
                        .allMatch(JsonNode::asBoolean))
                .isTrue();
    }

    @Test
    void shutdown_answers_held_blocking_queries_instead_of_waiting_for_them() throws Exception {
        ServiceInstance third = ServiceInstance.start(RegistryApplication.class);
        String service = service();
        long index = Long.parseLong(list(third.http(), service, "").header("X-Baton-Index"));
        CompletableFuture<TestHttp.Response> held =
                CompletableFuture.supplyAsync(() -> list(third.http(), service, "?index=" + index + "&wait=60s"));
        Thread.sleep(300);
        assertThat(held).isNotDone();

        long started = System.nanoTime();
        third.close();
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(held.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(tookMs).isLessThan(10_000);
    }

    @Test
    void bad_input_answers_400_problems() {
        String service = service();
        List<String> bodies = List.of(
                "{\"host\":\"h\",\"port\":0}",
                "{\"host\":\"h\",\"port\":70000}",
                "{\"port\":80}",
                "{\"host\":\"bad host\",\"port\":80}",
                "{\"host\":\"h\",\"port\":80,\"weight\":0}",
                "{\"host\":\"h\",\"port\":80,\"ttlMs\":10}",
                "{\"host\":\"h\",\"port\":\"eighty\"}",
                "{\"host\":\"h\",\"port\":80,\"metadata\":{\"k\":null}}",
                "{not json",
                "");
        for (String body : bodies) {
            TestHttp.Response response = register(http(), service, "i", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.isProblem()).as(body).isTrue();
        }
        assertThat(register(http(), "bad%20name", "i", "{\"host\":\"h\",\"port\":80}")
                        .status())
                .isEqualTo(400);
        assertThat(list(http(), service, "?index=-1").status()).isEqualTo(400);
        assertThat(list(http(), service, "?index=1&wait=forever").status()).isEqualTo(400);
        assertThat(ids(list(http(), service, ""))).isEmpty();
    }
}
