package dev.baton.lock.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two lock-service replicas as processes: a replica that dies, or stops answering, takes its
 * waiters with it, and no lease is granted to a request that can no longer receive it.
 */
class DeadReplicaIT {

    private static ServiceProcess survivor;
    private static ServiceProcess doomed;
    private static ServiceProcess paused;

    /** The replica that lives, and one for each scenario to kill or pause, started side by side. */
    @BeforeAll
    static void start() {
        List<ServiceProcess> replicas = ServiceProcess.startTogether(List.of(
                () -> ServiceProcess.start("lock-service"),
                () -> ServiceProcess.start("lock-service"),
                () -> ServiceProcess.start("lock-service")));
        survivor = replicas.get(0);
        doomed = replicas.get(1);
        paused = replicas.get(2);
    }

    @AfterAll
    static void stop() {
        paused.close();
        doomed.close();
        survivor.close();
    }

    private static String lock(String owner, long ttlMs, long waitMs) {
        return "{\"owner\":\"" + owner + "\",\"ttlMs\":" + ttlMs + ",\"waitMs\":" + waitMs + "}";
    }

    private static String leases(String name) {
        return "/api/v1/locks/" + name + "/leases";
    }

    private static int waiters(String name) {
        return survivor.http()
                .get("/api/v1/locks/" + name, TestApiKeys.READ)
                .json()
                .path("waiters")
                .asInt();
    }

    private static JsonNode hold(String name) {
        TestHttp.Response holder =
                survivor.http().send("POST", leases(name), TestApiKeys.WRITE, lock("holder", 60_000, 0));
        assertThat(holder.status()).isEqualTo(201);
        return holder.json();
    }

    private static CompletableFuture<TestHttp.Response> queue(ServiceProcess replica, String name) {
        CompletableFuture<TestHttp.Response> waiting = CompletableFuture.supplyAsync(
                () -> replica.http().send("POST", leases(name), TestApiKeys.WRITE, lock("doomed", 60_000, 60_000)));
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters(name) == 1);
        return waiting;
    }

    @Test
    void a_killed_replicas_waiter_is_never_granted() {
        String name = "killed-" + UUID.randomUUID();
        JsonNode holder = hold(name);
        queue(doomed, name);

        doomed.kill();
        survivor.http()
                .send("DELETE", leases(name) + "/" + holder.path("leaseId").asString(), TestApiKeys.WRITE, null);
        long released = System.nanoTime();
        TestHttp.Response next =
                survivor.http().send("POST", leases(name), TestApiKeys.WRITE, lock("next", 30_000, 2_000));

        assertThat(next.status()).isEqualTo(201);
        assertThat(next.json().path("token").asLong())
                .isEqualTo(holder.path("token").asLong() + 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released)).isLessThan(2_000);
    }

    @Test
    void a_paused_replicas_waiters_are_removed_by_the_others_and_it_answers_503_when_it_wakes() {
        String name = "paused-" + UUID.randomUUID();
        hold(name);
        try {
            CompletableFuture<TestHttp.Response> waiting = queue(paused, name);

            paused.pause();
            // Its heartbeat lapses after the replica TTL (5 s); the sweeper removes its waiter within a second.
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters(name) == 0);
            paused.resume();
            TestHttp.Response answer = waiting.orTimeout(20, TimeUnit.SECONDS).join();

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.isProblem()).isTrue();
            assertThat(answer.header("Retry-After")).isNotBlank();
        } finally {
            paused.resume();
            paused.close();
        }
    }
}
