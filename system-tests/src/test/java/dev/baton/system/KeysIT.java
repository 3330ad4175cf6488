package dev.baton.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A key created and revoked at runtime, on Baton as deployed: every process comes to accept it, and
 * within a second of its revocation every one refuses it (the gateway on a path it answers itself, so
 * that its own refusal is what is measured). Its changes are in the audit log under its name.
 */
class KeysIT {

    private final Cluster cluster = Cluster.get();

    /** Where each process answers itself: registry, every lock-service and scheduler replica, the gateway. */
    private Map<String, TestHttp> everyProcess() {
        Map<String, TestHttp> all = new LinkedHashMap<>();
        all.put("registry", cluster.registry.http());
        for (int i = 0; i < cluster.locks.size(); i++) {
            all.put("lock-service-" + i, cluster.locks.get(i).http());
        }
        for (int i = 0; i < cluster.schedulers.size(); i++) {
            all.put("scheduler-service-" + i, cluster.schedulers.get(i).http());
        }
        all.put("gateway", cluster.gateway.http());
        return all;
    }

    @Test
    void a_revoked_key_is_refused_by_all_four_services_within_a_second() throws Exception {
        String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
        TestHttp.Response created = cluster.http()
                .send(
                        "POST",
                        "/api/v1/keys",
                        TestApiKeys.ADMIN,
                        "{\"name\":\"" + name + "\",\"roles\":[\"WRITE\"],\"scopes\":{\"locks\":[\"" + name + "/\"]}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = created.json().path("key").asString();
        String id = created.json().path("id").asString();

        // Each process hears of the new key from the key feed; one whose listener is reconnecting reads every key
        // again.
        Map<String, Long> acceptedAfter = new LinkedHashMap<>();
        assertThat(untilEvery(true, key, System.nanoTime(), acceptedAfter))
                .as("still refusing the new key after 3 s")
                .isEmpty();
        System.out.println("[keys] new key accepted after (ms): " + acceptedAfter);
        TestHttp.Response lease = cluster.http()
                .send("POST", "/api/v1/locks/" + name + "%2Fx/leases", key, "{\"owner\":\"it\",\"ttlMs\":10000}");
        assertThat(lease.status()).as(lease.body()).isEqualTo(201);
        TestHttp.Response outOfScope = cluster.http()
                .send("POST", "/api/v1/locks/elsewhere/leases", key, "{\"owner\":\"it\",\"ttlMs\":10000}");
        assertThat(outOfScope.status()).isEqualTo(403);
        // Refused by the gateway, which writes no audit entries; a service records its own refusal.
        TestHttp.Response direct = cluster.locks
                .get(0)
                .http()
                .send("POST", "/api/v1/locks/elsewhere/leases", key, "{\"owner\":\"it\",\"ttlMs\":10000}");
        assertThat(direct.status()).isEqualTo(403);
        TestHttp.Response taken = cluster.locks
                .get(1)
                .http()
                .send(
                        "POST",
                        "/api/v1/locks/" + name + "%2Fx/leases",
                        key,
                        "{\"owner\":\"it\",\"ttlMs\":10000,\"waitMs\":0}");
        assertThat(taken.status()).isEqualTo(409);

        assertThat(cluster.http()
                        .send("DELETE", "/api/v1/keys/" + id, TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
        Map<String, Long> refusedAfter = new LinkedHashMap<>();
        assertThat(untilEvery(false, key, System.nanoTime(), refusedAfter))
                .as("still accepting the revoked key after 3 s")
                .isEmpty();
        System.out.println("[keys] revoked key refused after (ms): " + refusedAfter);
        assertThat(refusedAfter)
                .allSatisfy((process, millis) -> assertThat(millis).as(process).isLessThan(1000));

        JsonNode audit = null;
        for (int i = 0; i < 50; i++) {
            audit = cluster.http()
                    .get("/api/v1/audit?keyName=" + name, TestApiKeys.ADMIN)
                    .json()
                    .path("items");
            if (audit.size() == 3) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(audit).hasSize(3);
        List<String> entries = new ArrayList<>();
        audit.forEach(entry -> entries.add(entry.path("method").asString() + " "
                + entry.path("kind").asString() + " " + entry.path("name").asString() + " "
                + entry.path("status").asInt()));
        // Each replica writes its own entries, in batches: their order across replicas is the order of writing.
        assertThat(entries)
                .containsExactlyInAnyOrder(
                        "POST locks " + name + "/x 201", "POST locks elsewhere 403", "POST locks " + name + "/x 409");
    }

    /**
     * Asks every process, for up to 3 s from {@code since}, until each one accepts the key (for
     * {@code accepting}) or refuses it; puts in {@code after} how many milliseconds each took, and
     * returns the processes that never did.
     */
    private Set<String> untilEvery(boolean accepting, String key, long since, Map<String, Long> after) {
        Map<String, TestHttp> waiting = everyProcess();
        while (!waiting.isEmpty()
                && System.nanoTime() - since < Duration.ofSeconds(3).toNanos()) {
            for (String process : new ArrayList<>(waiting.keySet())) {
                if (accepted(waiting.get(process), key) == accepting) {
                    after.put(process, (System.nanoTime() - since) / 1_000_000);
                    waiting.remove(process);
                }
            }
        }
        return waiting.keySet();
    }

    /** Whether the process accepts the key on a request it answers itself. */
    private static boolean accepted(TestHttp http, String key) {
        int status = http.get("/api/v1/auth/whoami", key).status();
        if (status != 200 && status != 401) {
            throw new AssertionError("whoami answered " + status);
        }
        return status == 200;
    }
}
