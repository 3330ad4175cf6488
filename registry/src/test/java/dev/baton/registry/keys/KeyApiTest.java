package dev.baton.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.registry.TwoRegistries;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** API keys managed at runtime, their scopes and the audit log, over HTTP on two registry replicas. */
class KeyApiTest extends TwoRegistries {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a key and waits until both replicas accept it: they hear of it within a second. */
    private JsonNode create(String body) {
        TestHttp.Response created = http().send("POST", "/api/v1/keys", TestApiKeys.ADMIN, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = created.json().path("key").asString();
        Awaitility.await()
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> http().get("/api/v1/auth/whoami", key).status() == 200
                        && second.http().get("/api/v1/auth/whoami", key).status() == 200);
        return created.json();
    }

    private JsonNode create(String name, String roles, String scopes) {
        return create("{\"name\":\"" + name + "\",\"roles\":" + roles + (scopes == null ? "" : ",\"scopes\":" + scopes)
                + "}");
    }

    @Test
    void a_created_key_is_shown_once_and_works_on_every_replica_at_once() {
        String name = unique("ci");
        JsonNode created = create(name, "[\"WRITE\"]", null);
        String key = created.path("key").asString();
        assertThat(key).startsWith("baton_").hasSize(49);
        assertThat(created.path("roles").toString()).isEqualTo("[\"WRITE\"]");

        JsonNode read = http().get("/api/v1/keys/" + created.path("id").asString(), TestApiKeys.ADMIN)
                .json();
        assertThat(read.has("key")).isFalse();
        assertThat(read.path("name").asString()).isEqualTo(name);
        assertThat(http().get("/api/v1/keys?limit=1000", TestApiKeys.ADMIN).body())
                .doesNotContain(key);

        for (TestHttp replica : List.of(http(), second.http())) {
            JsonNode whoami = replica.get("/api/v1/auth/whoami", key).json();
            assertThat(whoami.path("name").asString()).isEqualTo(name);
            assertThat(whoami.path("roles").toString()).contains("WRITE", "READ");
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> !http().get("/api/v1/keys/" + created.path("id").asString(), TestApiKeys.ADMIN)
                        .json()
                        .path("lastUsedAt")
                        .isNull());
    }

    @Test
    void a_revoked_key_is_refused_by_every_replica_within_a_second() {
        JsonNode created = create(unique("revoked"), "[\"READ\"]", null);
        String key = created.path("key").asString();
        assertThat(second.http().get("/api/v1/registry/services", key).status()).isEqualTo(200);

        assertThat(http().send("DELETE", "/api/v1/keys/" + created.path("id").asString(), TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
        long revoked = System.nanoTime();
        Awaitility.await()
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> http().get("/api/v1/registry/services", key).status() == 401
                        && second.http().get("/api/v1/registry/services", key).status() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
        assertThat(http().get("/api/v1/keys/" + created.path("id").asString(), TestApiKeys.ADMIN)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void an_expired_key_is_refused() {
        JsonNode created = create("{\"name\":\"" + unique("brief") + "\",\"roles\":[\"READ\"],\"expiresAt\":\""
                + Instant.now().plusSeconds(2) + "\"}");
        String key = created.path("key").asString();
        Awaitility.await()
                .atMost(Duration.ofSeconds(3))
                .until(() -> second.http().get("/api/v1/registry/services", key).status() == 401);
    }

    @Test
    void a_taken_name_is_409_an_unknown_id_404_and_bad_input_400() {
        String name = unique("twice");
        create(name, "[\"READ\"]", null);
        assertThat(http().send(
                                "POST",
                                "/api/v1/keys",
                                TestApiKeys.ADMIN,
                                "{\"name\":\"" + name + "\",\"roles\":[\"READ\"]}")
                        .status())
                .isEqualTo(409);
        assertThat(http().send(
                                "POST",
                                "/api/v1/keys",
                                TestApiKeys.ADMIN,
                                "{\"name\":\"test-admin\",\"roles\":[\"READ\"]}")
                        .status())
                .isEqualTo(409);
        String unknown = "/api/v1/keys/" + UUID.randomUUID();
        assertThat(http().get(unknown, TestApiKeys.ADMIN).status()).isEqualTo(404);
        assertThat(http().send("DELETE", unknown, TestApiKeys.ADMIN, null).status())
                .isEqualTo(404);

        List<TestHttp.Response> bad = new ArrayList<>();
        for (String body : List.of(
                "{\"roles\":[\"READ\"]}",
                "{\"name\":\"x y\",\"roles\":[\"READ\"]}",
                "{\"name\":\"n\",\"roles\":[]}",
                "{\"name\":\"n\",\"roles\":[\"ROOT\"]}",
                "{\"name\":\"n\",\"roles\":[\"READ\"],\"scopes\":{\"planets\":[\"a\"]}}",
                "{\"name\":\"n\",\"roles\":[\"READ\"],\"scopes\":{\"locks\":[\"a b\"]}}",
                "{\"name\":\"n\",\"roles\":[\"READ\"],\"scopes\":{\"locks\":\"a\"}}",
                "{\"name\":\"n\",\"roles\":[\"READ\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}",
                "{\"name\":\"n\",\"roles\":[\"READ\"],\"expiresAt\":\"soon\"}",
                "{\"name\":")) {
            bad.add(http().send("POST", "/api/v1/keys", TestApiKeys.ADMIN, body));
        }
        bad.add(http().get("/api/v1/keys/not-a-uuid", TestApiKeys.ADMIN));
        bad.add(http().get("/api/v1/audit?since=yesterday", TestApiKeys.ADMIN));
        bad.add(http().get("/api/v1/audit?kind=planets", TestApiKeys.ADMIN));
        bad.add(http().get("/api/v1/audit?cursor=x", TestApiKeys.ADMIN));
        assertThat(bad).allSatisfy(response -> {
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.isProblem()).isTrue();
        });
    }

    @Test
    void a_write_key_is_refused_on_every_admin_route_and_a_read_key_on_changes() {
        String id = create(unique("target"), "[\"READ\"]", null).path("id").asString();
        String[][] adminRoutes = {
            {"GET", "/api/v1/keys"},
            {"POST", "/api/v1/keys"},
            {"GET", "/api/v1/keys/" + id},
            {"DELETE", "/api/v1/keys/" + id},
            {"GET", "/api/v1/audit"},
            {"PUT", "/api/v1/config/shop/k"},
            {"DELETE", "/api/v1/config/shop/k"}
        };
        for (String[] route : adminRoutes) {
            TestHttp.Response refused = http().send(
                            route[0],
                            route[1],
                            TestApiKeys.WRITE,
                            route[0].equals("GET") || route[0].equals("DELETE") ? null : "{\"value\":\"v\"}");
            assertThat(refused.status()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(refused.isProblem()).isTrue();
        }
        assertThat(http().get("/api/v1/keys", null).status()).isEqualTo(401);
        assertThat(http().get("/api/v1/audit", "no-such-key").status()).isEqualTo(401);
        assertThat(http().get("/api/v1/keys/feed", TestApiKeys.ADMIN).status()).isEqualTo(200);
        String reader = create(unique("reader"), "[\"READ\"]", null).path("key").asString();
        assertThat(http().get("/api/v1/keys/feed", reader).status()).isEqualTo(403);
        assertThat(http().get("/api/v1/keys/" + id, TestApiKeys.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void config_writes_need_admin_or_the_namespace_in_a_config_scope() {
        String ns = unique("shop");
        String writer = create(unique("shop-writer"), "[\"WRITE\"]", "{\"config\":[\"" + ns + "\"]}")
                .path("key")
                .asString();
        assertThat(http().send("PUT", "/api/v1/config/" + ns + "/k", writer, "{\"value\":\"v\"}")
                        .status())
                .isEqualTo(200);
        assertThat(http().send("DELETE", "/api/v1/config/" + ns + "/k", writer, null)
                        .status())
                .isEqualTo(204);
        TestHttp.Response elsewhere = http().send("PUT", "/api/v1/config/other/k", writer, "{\"value\":\"v\"}");
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(elsewhere.json().path("missingScope").path("name").asString())
                .isEqualTo("other");
        TestHttp.Response unscoped =
                http().send("PUT", "/api/v1/config/" + ns + "/k", TestApiKeys.WRITE, "{\"value\":\"v\"}");
        assertThat(unscoped.status()).isEqualTo(403);
        assertThat(unscoped.json().path("missingScope").path("kind").asString()).isEqualTo("config");
        assertThat(http().send("PUT", "/api/v1/config/" + ns + "/k", TestApiKeys.ADMIN, "{\"value\":\"v\"}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void a_scoped_key_reaches_only_its_services_and_no_config() {
        String key = create(unique("team-a"), "[\"WRITE\"]", "{\"locks\":[\"team-a/\"],\"services\":[\"team-a-\"]}")
                .path("key")
                .asString();
        String instance = "{\"host\":\"10.0.0.1\",\"port\":8080}";
        assertThat(http().send("PUT", "/api/v1/registry/services/team-a-orders/instances/i1", key, instance)
                        .status())
                .isEqualTo(200);
        TestHttp.Response other =
                http().send("PUT", "/api/v1/registry/services/team-b-orders/instances/i1", key, instance);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().path("missingScope").path("kind").asString()).isEqualTo("services");
        assertThat(other.json().path("missingScope").path("name").asString()).isEqualTo("team-b-orders");
        assertThat(other.json().path("detail").asString()).contains("services", "team-b-orders");
        TestHttp.Response config = http().get("/api/v1/config/team-a", key);
        assertThat(config.status()).isEqualTo(403);
        assertThat(config.json().path("missingScope").path("kind").asString()).isEqualTo("config");
        assertThat(http().get("/api/v1/registry/services", key).status()).isEqualTo(403);
    }

    @Test
    void every_change_made_with_a_key_is_in_the_audit_log_with_the_keys_name() {
        String name = unique("audited");
        String key = create(name, "[\"WRITE\"]", "{\"services\":[\"audited-\"]}")
                .path("key")
                .asString();
        String service = unique("audited");
        String instance = "{\"host\":\"10.0.0.1\",\"port\":8080}";
        second.http().send("PUT", "/api/v1/registry/services/" + service + "/instances/i1", key, instance);
        second.http().send("DELETE", "/api/v1/registry/services/" + service + "/instances/i1", key, null);
        second.http().send("PUT", "/api/v1/registry/services/elsewhere/instances/i1", key, instance);
        http().get("/api/v1/registry/services/" + service + "/instances", key);

        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> http().get("/api/v1/audit?keyName=" + name, TestApiKeys.ADMIN)
                                .json()
                                .path("items")
                                .size()
                        == 3);
        JsonNode items = http().get("/api/v1/audit?keyName=" + name, TestApiKeys.ADMIN)
                .json()
                .path("items");
        assertThat(items.get(0).path("method").asString()).isEqualTo("PUT");
        assertThat(items.get(0).path("name").asString()).isEqualTo("elsewhere");
        assertThat(items.get(0).path("status").asInt()).isEqualTo(403);
        assertThat(items.get(1).path("method").asString()).isEqualTo("DELETE");
        assertThat(items.get(1).path("status").asInt()).isEqualTo(204);
        assertThat(items.get(2).path("kind").asString()).isEqualTo("services");
        assertThat(items.get(2).path("name").asString()).isEqualTo(service);
        assertThat(items.get(2).path("status").asInt()).isEqualTo(200);
        assertThat(items.get(2).path("remoteAddress").asString()).isEqualTo("127.0.0.1");
        assertThat(Instant.parse(items.get(2).path("at").asString())).isBefore(Instant.now());

        JsonNode firstPage = http().get("/api/v1/audit?keyName=" + name + "&limit=2", TestApiKeys.ADMIN)
                .json();
        assertThat(firstPage.path("items")).hasSize(2);
        JsonNode rest = http().get(
                        "/api/v1/audit?keyName=" + name + "&limit=2&cursor="
                                + firstPage.path("nextCursor").asString(),
                        TestApiKeys.ADMIN)
                .json();
        assertThat(rest.path("items")).hasSize(1);
        assertThat(rest.path("nextCursor").isNull()).isTrue();
        assertThat(http().get("/api/v1/audit?kind=services&name=" + service, TestApiKeys.ADMIN)
                        .json()
                        .path("items"))
                .hasSize(2);
        assertThat(http().get(
                                "/api/v1/audit?keyName=" + name + "&until="
                                        + Instant.now().minusSeconds(3600),
                                TestApiKeys.ADMIN)
                        .json()
                        .path("items"))
                .isEmpty();
    }

    @Test
    void the_audit_log_is_a_blocking_query_woken_by_an_entry_written_on_another_replica() throws Exception {
        String service = unique("watched");
        long index = settledAuditIndex("/api/v1/audit?kind=services&name=" + service);
        Instant asked = Instant.now();
        CompletableFuture<TestHttp.Response> watched = CompletableFuture.supplyAsync(() -> http().get(
                        "/api/v1/audit?kind=services&name=" + service + "&index=" + index + "&wait=20s",
                        TestApiKeys.ADMIN));
        Thread.sleep(300);
        assertThat(watched).as("nothing was written yet").isNotDone();

        second.http()
                .send(
                        "PUT",
                        "/api/v1/registry/services/" + service + "/instances/i1",
                        TestApiKeys.WRITE,
                        "{\"host\":\"10.0.0.1\",\"port\":8080}");
        TestHttp.Response woken = watched.get(15, TimeUnit.SECONDS);
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(Long.parseLong(woken.header("X-Baton-Index"))).isGreaterThan(index);
        assertThat(woken.json().path("items").get(0).path("name").asString()).isEqualTo(service);
    }

    /**
     * The audit log's index once the entries of earlier requests are in: they reach the table up
     * to a batch's linger after their requests, and any newer entry wakes a blocking query.
     */
    private long settledAuditIndex(String query) throws InterruptedException {
        long index = Long.parseLong(http().get(query, TestApiKeys.ADMIN).header("X-Baton-Index"));
        for (int read = 0; read < 50; read++) {
            Thread.sleep(300);
            long next = Long.parseLong(http().get(query, TestApiKeys.ADMIN).header("X-Baton-Index"));
            if (next == index) {
                return index;
            }
            index = next;
        }
        throw new AssertionError("the audit log's index did not settle in 15 s");
    }
}
