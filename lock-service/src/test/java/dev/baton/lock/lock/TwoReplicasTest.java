package dev.baton.lock.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.lock.LockServiceApplication;
import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Two lock-service replicas on one database behave as one lock service. */
@BatonServiceTest
class TwoReplicasTest {

    private static ServiceInstance second;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startSecondReplica() {
        second = ServiceInstance.start(LockServiceApplication.class);
    }

    @AfterAll
    static void stopSecondReplica() {
        second.close();
    }

    private List<LockApi> replicas() {
        return List.of(new LockApi(TestHttp.localhost(port)), new LockApi(second.http()));
    }

    /** Reads and writes without synchronisation: only mutual exclusion keeps the count exact. */
    private static final class UnguardedCounter {
        long value;
    }

    @Test
    void sixteen_threads_over_two_replicas_never_overlap_and_tokens_rise_in_grant_order() throws Exception {
        String name = "fuzz-" + UUID.randomUUID();
        int threads = 16;
        int iterations = 125;
        UnguardedCounter counter = new UnguardedCounter();
        List<Long> tokensInGrantOrder = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            LockApi api = replicas().get(t % 2);
            String owner = "worker-" + t;
            workers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < iterations; i++) {
                    JsonNode lease = api.granted(name, owner, 10_000, 60_000, null);
                    long seen = counter.value;
                    Thread.yield();
                    counter.value = seen + 1;
                    tokensInGrantOrder.add(lease.path("token").asLong());
                    assertThat(api.release(name, lease).status()).isEqualTo(204);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(counter.value).isEqualTo((long) threads * iterations);
        assertThat(tokensInGrantOrder).hasSize(threads * iterations).isSorted().doesNotHaveDuplicates();
        assertThat(tokensInGrantOrder.get(tokensInGrantOrder.size() - 1)).isEqualTo((long) threads * iterations);
    }

    @Test
    void a_listing_watched_on_one_replica_answers_a_change_under_its_prefix_on_the_other_and_no_other() {
        String prefix = "listing-" + UUID.randomUUID() + ":";
        LockApi here = replicas().get(0);
        LockApi there = replicas().get(1);
        here.granted(prefix + "a", "alice", 30_000, 0, null);
        TestHttp.Response first = here.http.get("/api/v1/locks?prefix=" + prefix, TestApiKeys.READ);
        long index = Long.parseLong(first.header("X-Baton-Index"));
        assertThat(index).isPositive();

        there.granted("elsewhere-" + prefix + "b", "bob", 30_000, 0, null);
        TestHttp.Response unchanged =
                here.http.get("/api/v1/locks?prefix=" + prefix + "&index=" + index + "&wait=2s", TestApiKeys.READ);
        assertThat(Long.parseLong(unchanged.header("X-Baton-Index"))).isEqualTo(index);
        assertThat(unchanged.json().path("items")).hasSize(1);

        CompletableFuture<TestHttp.Response> watch = CompletableFuture.supplyAsync(() ->
                here.http.get("/api/v1/locks?prefix=" + prefix + "&index=" + index + "&wait=30s", TestApiKeys.READ));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !watch.isDone());
        there.granted(prefix + "b", "bob", 30_000, 0, null);
        TestHttp.Response changed = watch.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(Long.parseLong(changed.header("X-Baton-Index"))).isGreaterThan(index);
        assertThat(changed.json().path("items")).hasSize(2);
        assertThat(changed.json().path("items").get(1).path("holders").asInt()).isEqualTo(1);
    }

    @Test
    void a_release_on_one_replica_wakes_a_waiter_on_the_other() {
        String name = "handoff-" + UUID.randomUUID();
        LockApi first = replicas().get(0);
        LockApi other = replicas().get(1);
        // The holder's TTL is long: only the release's notification can grant the waiter in time.
        JsonNode holder = first.granted(name, "holder", 60_000, 0, null);
        CompletableFuture<TestHttp.Response> waiter =
                CompletableFuture.supplyAsync(() -> other.lock(name, "waiter", 30_000, 30_000, null));
        org.awaitility.Awaitility.await()
                .until(() -> first.inspect(name).path("waiters").asInt() == 1);

        long released = System.nanoTime();
        first.release(name, holder);
        JsonNode granted = waiter.orTimeout(10, TimeUnit.SECONDS).join().json();

        assertThat(granted.path("owner").asString()).isEqualTo("waiter");
        assertThat(granted.path("token").asLong()).isEqualTo(2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released)).isLessThan(5_000);
    }

    @Test
    void an_expiry_wakes_a_waiter_on_the_other_replica() {
        String name = "expiry-" + UUID.randomUUID();
        replicas().get(0).granted(name, "vanishing", 700, 0, null);

        JsonNode granted = replicas().get(1).granted(name, "waiter", 30_000, 20_000, null);

        assertThat(granted.path("token").asLong()).isEqualTo(2);
    }

    @Test
    void a_lease_taken_on_one_replica_is_renewed_and_released_on_the_other() {
        String name = "roam-" + UUID.randomUUID();
        JsonNode lease = replicas().get(0).granted(name, "roamer", 30_000, 0, null);

        assertThat(replicas().get(1).renew(name, lease, 30_000).status()).isEqualTo(200);
        assertThat(replicas().get(1).release(name, lease).status()).isEqualTo(204);
        assertThat(replicas().get(0).release(name, lease).status()).isEqualTo(410);
    }
}
