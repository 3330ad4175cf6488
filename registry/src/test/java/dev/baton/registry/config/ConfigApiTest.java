package dev.baton.registry.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.registry.TwoRegistries;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The config center over HTTP, on two replicas sharing one database. */
class ConfigApiTest extends TwoRegistries {

    private static String namespace() {
        return "ns-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TestHttp.Response putText(TestHttp http, String path, String value, String header, String tag) {
        HttpRequest.Builder request = http.request("/api/v1/config/" + path)
                .PUT(HttpRequest.BodyPublishers.ofString(value))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + TestApiKeys.ADMIN);
        if (header != null) {
            request.header(header, tag);
        }
        return http.send(request.build());
    }

    @Test
    void values_are_versioned_and_read_back_with_their_etag() {
        String ns = namespace();
        TestHttp.Response first = putText(http(), ns + "/greeting", "hello", null, null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("version").asLong()).isEqualTo(1);
        assertThat(first.header("ETag")).isEqualTo("\"1\"");

        TestHttp.Response second = http().send(
                        "PUT",
                        "/api/v1/config/" + ns + "/greeting",
                        TestApiKeys.ADMIN,
                        "{\"value\":\"{\\\"hi\\\":1}\",\"contentType\":\"application/json\"}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("version").asLong()).isEqualTo(2);

        TestHttp.Response read = http().get("/api/v1/config/" + ns + "/greeting", TestApiKeys.READ);
        assertThat(read.json().path("value").asString()).isEqualTo("{\"hi\":1}");
        assertThat(read.json().path("contentType").asString()).isEqualTo("application/json");
        assertThat(read.header("ETag")).isEqualTo("\"2\"");

        TestHttp.Response missing = http().get("/api/v1/config/" + ns + "/nothing", TestApiKeys.READ);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.isProblem()).isTrue();
    }

    @Test
    void if_match_makes_a_write_a_compare_and_set() {
        String ns = namespace();
        putText(http(), ns + "/k", "one", null, null);

        TestHttp.Response stale = putText(http(), ns + "/k", "two", "If-Match", "\"7\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.isProblem()).isTrue();
        assertThat(stale.json().path("currentVersion").asLong()).isEqualTo(1);

        assertThat(putText(http(), ns + "/k", "two", "If-Match", "\"1\"").status())
                .isEqualTo(200);
        assertThat(putText(http(), ns + "/k", "three", "If-None-Match", "*").status())
                .isEqualTo(412);
        assertThat(putText(http(), ns + "/new", "created", "If-None-Match", "*").status())
                .isEqualTo(200);
        assertThat(putText(http(), ns + "/absent", "x", "If-Match", "*").status())
                .isEqualTo(412);
        assertThat(http().get("/api/v1/config/" + ns + "/k", TestApiKeys.READ)
                        .json()
                        .path("value")
                        .asString())
                .isEqualTo("two");
    }

    @Test
    void concurrent_compare_and_set_increments_lose_no_update() throws Exception {
        String path = namespace() + "/counter";
        putText(http(), path, "0", null, null);
        int threads = 8;
        int increments = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> conflicts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            TestHttp replica = t % 2 == 0 ? http() : second.http();
            conflicts.add(pool.submit(() -> {
                int refused = 0;
                for (int i = 0; i < increments; ) {
                    JsonNode current = replica.get("/api/v1/config/" + path, TestApiKeys.READ)
                            .json();
                    long next = Long.parseLong(current.path("value").asString()) + 1;
                    TestHttp.Response written = putText(
                            replica,
                            path,
                            String.valueOf(next),
                            "If-Match",
                            "\"" + current.path("version").asLong() + "\"");
                    if (written.status() == 200) {
                        i++;
                    } else {
                        assertThat(written.status()).isEqualTo(412);
                        refused++;
                    }
                }
                return refused;
            }));
        }
        int refused = 0;
        for (Future<Integer> conflict : conflicts) {
            refused += conflict.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();

        JsonNode end = http().get("/api/v1/config/" + path, TestApiKeys.READ).json();
        assertThat(end.path("value").asString()).isEqualTo(String.valueOf(threads * increments));
        assertThat(end.path("version").asLong()).isEqualTo(1 + threads * increments);
        assertThat(refused).isPositive();
    }

    @Test
    void history_lists_every_version_newest_first_deletions_included() {
        String ns = namespace();
        putText(http(), ns + "/k", "a", null, null);
        putText(http(), ns + "/k", "b", null, null);
        assertThat(http().send("DELETE", "/api/v1/config/" + ns + "/k", TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
        assertThat(http().get("/api/v1/config/" + ns + "/k", TestApiKeys.READ).status())
                .isEqualTo(404);
        putText(http(), ns + "/k", "c", null, null);

        JsonNode history = http().get("/api/v1/config/" + ns + "/k/history", TestApiKeys.READ)
                .json();
        assertThat(history.findValues("version").stream().map(JsonNode::asLong)).containsExactly(4L, 3L, 2L, 1L);
        assertThat(history.get(1).path("deleted").asBoolean()).isTrue();
        assertThat(history.get(0).path("value").asString()).isEqualTo("c");
        assertThat(http().get("/api/v1/config/" + ns + "/never/history", TestApiKeys.READ)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_namespace_lists_its_keys() {
        String ns = namespace();
        putText(http(), ns + "/b.key", "2", null, null);
        putText(http(), ns + "/a.key", "1", null, null);
        JsonNode read = http().get("/api/v1/config/" + ns, TestApiKeys.READ).json();
        assertThat(read.path("entries").findValues("key").stream().map(JsonNode::asString))
                .containsExactly("a.key", "b.key");
        assertThat(http().get("/api/v1/config/" + namespace(), TestApiKeys.READ)
                        .json()
                        .path("entries"))
                .isEmpty();
    }

    @Test
    void namespaces_are_listed_by_prefix_with_their_key_counts_and_paged() {
        String prefix = namespace();
        putText(http(), prefix + "-b/one", "1", null, null);
        putText(http(), prefix + "-b/two", "2", null, null);
        putText(http(), prefix + "-a/one", "1", null, null);
        putText(http(), prefix + "-c/one", "1", null, null);

        JsonNode first = http().get("/api/v1/config?prefix=" + prefix + "&limit=2", TestApiKeys.READ)
                .json();
        assertThat(first.path("items").findValues("name").stream().map(JsonNode::asString))
                .containsExactly(prefix + "-a", prefix + "-b");
        assertThat(first.path("items").get(1).path("keys").asLong()).isEqualTo(2);
        JsonNode rest = http().get(
                        "/api/v1/config?prefix=" + prefix + "&limit=2&cursor="
                                + first.path("nextCursor").asString(),
                        TestApiKeys.READ)
                .json();
        assertThat(rest.path("items").findValues("name").stream().map(JsonNode::asString))
                .containsExactly(prefix + "-c");
        assertThat(rest.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void a_watcher_on_a_key_is_woken_by_a_write_on_the_other_replica() throws Exception {
        String ns = namespace();
        TestHttp.Response first = putText(http(), ns + "/flag", "off", null, null);
        long index = Long.parseLong(second.http()
                .get("/api/v1/config/" + ns + "/flag", TestApiKeys.READ)
                .header("X-Baton-Index"));

        CompletableFuture<TestHttp.Response> keyWatch = CompletableFuture.supplyAsync(() ->
                second.http().get("/api/v1/config/" + ns + "/flag?index=" + index + "&wait=20s", TestApiKeys.READ));
        CompletableFuture<TestHttp.Response> namespaceWatch = CompletableFuture.supplyAsync(
                () -> second.http().get("/api/v1/config/" + ns + "?index=" + index + "&wait=20s", TestApiKeys.READ));
        Thread.sleep(300);
        assertThat(keyWatch).isNotDone();
        assertThat(namespaceWatch).isNotDone();
        putText(http(), ns + "/flag", "on", null, null);

        TestHttp.Response woken = keyWatch.get(5, TimeUnit.SECONDS);
        assertThat(woken.json().path("value").asString()).isEqualTo("on");
        assertThat(Long.parseLong(woken.header("X-Baton-Index"))).isGreaterThan(index);
        assertThat(namespaceWatch
                        .get(5, TimeUnit.SECONDS)
                        .json()
                        .path("entries")
                        .get(0)
                        .path("value")
                        .asString())
                .isEqualTo("on");
        assertThat(first.status()).isEqualTo(200);
    }

    @Test
    void a_value_is_stored_byte_for_byte_as_sent_or_refused_naming_it() {
        String ns = namespace();
        String text = "grüße, 😀 and \\u0000 as six characters";
        assertThat(putText(http(), ns + "/k", text, null, null).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/config/" + ns + "/k", TestApiKeys.READ)
                        .json()
                        .path("value")
                        .asString())
                .isEqualTo(text);

        List<TestHttp.Response> refused = List.of(
                putBytes(ns + "/k", new byte[] {'o', 'k', (byte) 0xFF}),
                putBytes(ns + "/k", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                putText(http(), ns + "/k", "a\u0000b", null, null),
                http().send("PUT", "/api/v1/config/" + ns + "/k", TestApiKeys.ADMIN, "{\"value\":\"a\\u0000b\"}"),
                http().send("PUT", "/api/v1/config/" + ns + "/k", TestApiKeys.ADMIN, "{\"value\":\"\\ud800\"}"));
        for (TestHttp.Response answer : refused) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.isProblem()).isTrue();
            assertThat(answer.json().path("errors").get(0).path("field").asString())
                    .isEqualTo("value");
        }
        TestHttp.Response kept = http().get("/api/v1/config/" + ns + "/k", TestApiKeys.READ);
        assertThat(kept.json().path("value").asString()).isEqualTo(text);
        assertThat(kept.json().path("version").asLong()).isEqualTo(1);
    }

    private TestHttp.Response putBytes(String path, byte[] value) {
        return http().send(http().request("/api/v1/config/" + path)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(value))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + TestApiKeys.ADMIN)
                .build());
    }

    @Test
    void bad_input_answers_400_problems_and_changes_nothing() {
        String ns = namespace();
        putText(http(), ns + "/k", "kept", null, null);
        List<TestHttp.Response> answers = List.of(
                putText(http(), ns + "/k", "x", "If-Match", "\"abc\""),
                putText(http(), ns + "/k", "x", "If-Match", "\"0\""),
                putText(http(), ns + "/k", "x", "If-None-Match", "\"1\""),
                putText(http(), "bad%20ns/k", "x", null, null),
                putText(http(), ns + "/bad%20key", "x", null, null),
                putText(http(), ns + "/k", "x".repeat(256 * 1024 + 1), null, null),
                http().send(
                                "PUT",
                                "/api/v1/config/" + ns + "/k",
                                TestApiKeys.ADMIN,
                                "{\"contentType\":\"text/plain\"}"),
                http().send("PUT", "/api/v1/config/" + ns + "/k", TestApiKeys.ADMIN, "{\"value\":1,"),
                http().send(
                                "PUT",
                                "/api/v1/config/" + ns + "/k",
                                TestApiKeys.ADMIN,
                                "{\"value\":\"v\",\"contentType\":\"not a type\"}"),
                http().get("/api/v1/config/" + ns + "/k/history?limit=0", TestApiKeys.READ),
                http().get("/api/v1/config/" + ns + "/k?index=x", TestApiKeys.READ),
                http().get("/api/v1/config-server/bad%20app/dev", TestApiKeys.READ),
                http().get("/api/v1/config-server/app/dev%7Cprod", TestApiKeys.READ));
        for (TestHttp.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.isProblem()).as(answer.body()).isTrue();
        }
        TestHttp.Response kept = http().get("/api/v1/config/" + ns + "/k", TestApiKeys.READ);
        assertThat(kept.json().path("value").asString()).isEqualTo("kept");
        assertThat(kept.json().path("version").asLong()).isEqualTo(1);
        assertThat(putText(http(), ns + "/k", "x", null, null).status()).isEqualTo(200);
        assertThat(http().send("PUT", "/api/v1/config/" + ns + "/k", TestApiKeys.READ, "{\"value\":\"v\"}")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void the_config_server_endpoint_orders_namespaces_most_specific_first() {
        String app = "app" + UUID.randomUUID().toString().substring(0, 6);
        putText(http(), app + "/who", "app", null, null);
        putText(http(), app + "-dev/who", "app-dev", null, null);
        putText(http(), app + "-dev/only.dev", "yes", null, null);
        JsonNode environment = http().get("/api/v1/config-server/" + app + "/dev", TestApiKeys.READ)
                .json();
        assertThat(environment.path("name").asString()).isEqualTo(app);
        List<String> sources = environment.path("propertySources").findValues("name").stream()
                .map(JsonNode::asString)
                .toList();
        assertThat(sources).containsSubsequence("baton:" + app + "-dev", "baton:" + app);
        assertThat(environment
                        .path("propertySources")
                        .get(0)
                        .path("source")
                        .path("who")
                        .asString())
                .isEqualTo("app-dev");
    }
}
