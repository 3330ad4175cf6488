package dev.baton.lock.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Lease calls made at the same moment share round trips, and each still gets its own answer. */
@BatonServiceTest
class LeaseBatchesTest {

    /** lock-service's default lock_timeout: how long a call that waits for a stalled name takes. */
    private static final long LOCK_TIMEOUT_MS = 2_000;

    private static final int CLIENTS = 16;

    /** Calls on the stalled name, enough to take every lane if a batch waited for it. */
    private static final int STALLED_CALLS = 4;

    @LocalServerPort
    int port;

    private final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    private final ExecutorService stalledPool = Executors.newFixedThreadPool(STALLED_CALLS);

    @AfterEach
    void stopPools() {
        pool.shutdownNow();
        stalledPool.shutdownNow();
    }

    private TestHttp http() {
        return TestHttp.localhost(port);
    }

    @Test
    void concurrent_cycles_share_round_trips_and_each_gets_its_own_tokens() throws Exception {
        double[] before = batches();
        String run = UUID.randomUUID().toString();
        int cycles = 40;
        List<Future<List<Long>>> clients = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            String name = "batched-" + run + "-" + client;
            clients.add(pool.submit(() -> {
                List<Long> tokens = new ArrayList<>();
                for (int i = 0; i < cycles; i++) {
                    tokens.add(cycle(name));
                }
                return tokens;
            }));
        }

        for (Future<List<Long>> client : clients) {
            List<Long> tokens = client.get(60, TimeUnit.SECONDS);
            assertThat(tokens).hasSize(cycles);
            for (int i = 0; i < cycles; i++) {
                assertThat(tokens.get(i)).isEqualTo(i + 1L);
            }
        }
        double[] after = batches();
        double calls = after[0] - before[0];
        double roundTrips = after[1] - before[1];
        assertThat(calls).isGreaterThanOrEqualTo(2.0 * CLIENTS * cycles);
        assertThat(roundTrips).as("round trips for %s lease calls", calls).isLessThan(calls);
    }

    @Test
    void a_name_stalled_by_another_session_delays_only_the_calls_on_it() throws Exception {
        String stalledName = "stalled-batch-" + UUID.randomUUID();
        String run = UUID.randomUUID().toString();
        for (int client = 0; client < CLIENTS; client++) {
            cycle("beside-" + run + "-" + client);
        }
        try (Connection stalled = TestDatabase.get().connect()) {
            stalled.setAutoCommit(false);
            try (Statement statement = stalled.createStatement()) {
                statement.execute("select pg_advisory_xact_lock(hashtextextended('LOCK:" + stalledName + "', 0))");
            }
            List<Future<Long>> others = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                String name = "beside-" + run + "-" + client;
                others.add(pool.submit(() -> slowestCycleMs(name, 1_500)));
            }
            Thread.sleep(200);
            List<CompletableFuture<TestHttp.Response>> blocked = new ArrayList<>();
            for (int i = 0; i < STALLED_CALLS; i++) {
                blocked.add(CompletableFuture.supplyAsync(
                        () -> http().send(
                                        "POST",
                                        "/api/v1/locks/" + stalledName + "/leases",
                                        TestApiKeys.WRITE,
                                        "{\"owner\":\"blocked\"}"),
                        stalledPool));
            }

            for (Future<Long> other : others) {
                // A batch that waited for the stalled name would take lock_timeout at least.
                assertThat(other.get(30, TimeUnit.SECONDS))
                        .as("slowest cycle beside the stalled name, ms")
                        .isLessThan(LOCK_TIMEOUT_MS - 100);
            }
            for (CompletableFuture<TestHttp.Response> call : blocked) {
                TestHttp.Response answer = call.get(LOCK_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.header("Retry-After")).isNotBlank();
            }
            stalled.rollback();
        }
    }

    /** Acquires and releases {@code name}; answers the lease's token. */
    private long cycle(String name) {
        TestHttp.Response acquired = http().send(
                        "POST",
                        "/api/v1/locks/" + name + "/leases",
                        TestApiKeys.WRITE,
                        "{\"owner\":\"batch\",\"ttlMs\":30000}");
        assertThat(acquired.status())
                .as("acquire %s: %s", name, acquired.body())
                .isEqualTo(201);
        JsonNode lease = acquired.json();
        TestHttp.Response released = http().send(
                        "DELETE",
                        "/api/v1/locks/" + name + "/leases/"
                                + lease.path("leaseId").asString(),
                        TestApiKeys.WRITE,
                        null);
        assertThat(released.status())
                .as("release %s: %s", name, released.body())
                .isEqualTo(204);
        return lease.path("token").asLong();
    }

    /** Cycles {@code name} for {@code forMs}; answers the slowest cycle's time. */
    private long slowestCycleMs(String name, long forMs) {
        long slowest = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(forMs);
        int done = 0;
        while (System.nanoTime() < end || done == 0) {
            long started = System.nanoTime();
            cycle(name);
            done++;
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        return slowest;
    }

    /** The lease calls batched so far and the round trips they took: the batch-size summary's sum and count. */
    private double[] batches() {
        String metrics = http().get("/actuator/prometheus", TestApiKeys.ADMIN).body();
        return new double[] {
            metric(metrics, "baton_lease_batch_calls_sum"), metric(metrics, "baton_lease_batch_calls_count")
        };
    }

    private static double metric(String metrics, String name) {
        Matcher matcher =
                Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
