package dev.baton.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.benchmarks.Harness.Result;
import dev.baton.lock.lease.LeaseKind;
import dev.baton.lock.lease.LeaseMode;
import dev.baton.lock.lease.LeaseRequest;
import dev.baton.lock.lease.LeaseStore;
import dev.baton.lock.lease.ResourceKey;
import dev.baton.benchmarks.Harness.Result;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Measures lock-service on a real PostgreSQL and, in the same run, its baseline: the very SQL
 * transactions of {@link LeaseStore}, issued over JDBC by this harness with no HTTP and no
 * service in between. Prints throughput and latency percentiles of acquire+release cycles,
 * uncontended (a new name per cycle) and contended (one name, every client), and the handoff
 * latency from a release to the next waiter's grant, on one replica and across two.
 *
 * <p>Settings (environment): {@code BENCH_CLIENTS} (16), {@code BENCH_SECONDS} per phase (10),
 * {@code BENCH_WARMUP_SECONDS} (3), {@code BENCH_HANDOFFS} (300) measured after
 * {@code BENCH_HANDOFF_WARMUP} (100) unmeasured ones; the database as for the tests
 * ({@code BATON_TEST_DB_URL}, else Testcontainers, else embedded).
 */
final class LockBenchmark {

    private final int clients = Harness.intEnv("BENCH_CLIENTS", 16);
    private final Duration measure = Duration.ofSeconds(Harness.intEnv("BENCH_SECONDS", 10));
    private final Duration warmup = Duration.ofSeconds(Harness.intEnv("BENCH_WARMUP_SECONDS", 3));
    private final int handoffs = Harness.intEnv("BENCH_HANDOFFS", 300);
    private final int handoffWarmup = Harness.intEnv("BENCH_HANDOFF_WARMUP", 100);

    void run() throws Exception {
        TestDatabase database = TestDatabase.get();
        System.out.printf("Lock benchmark: %d clients, %d s per phase after %d s warm-up, on %s%n", clients,
                measure.toSeconds(), warmup.toSeconds(), database.url());
        System.out.println("Starting two lock-service replicas, each in its own process...");
        List<String> jvm = Harness.serviceJavaOptions();
        try (ServiceProcess first = ServiceProcess.start("lock-service", jvm, "logging.level.root=WARN");
                ServiceProcess second = ServiceProcess.start("lock-service", jvm, "logging.level.root=WARN");
                HikariDataSource pool = pool(database)) {
            LeaseStore direct = new LeaseStore(JdbcClient.create(pool),
                    new TransactionTemplate(new DataSourceTransactionManager(pool)));
            String firstUrl = "http://localhost:" + first.port();
            String secondUrl = "http://localhost:" + second.port();
            String run = UUID.randomUUID().toString().substring(0, 8);

            List<Result> results = new ArrayList<>();
            Result baseline = Harness.phase("uncontended, JDBC baseline (same SQL)", clients, warmup, measure,
                    (client, i) -> {
                        ResourceKey key = new ResourceKey(LeaseKind.LOCK, "jdbc-" + run + "-" + client + "-" + i);
                        LeaseStore.Attempt attempt = direct.acquire(new LeaseRequest(key, "bench",
                                LeaseMode.EXCLUSIVE, 1, null, Duration.ofSeconds(30), Duration.ZERO, null, null),
                                UUID.randomUUID(), false);
                        direct.release(key, ((LeaseStore.Granted) attempt).lease().leaseId());
                    });
            results.add(baseline);
            Result service = Harness.phase("uncontended, lock-service over HTTP", clients, warmup, measure,
                    (client, i) -> LockCalls.cycle(firstUrl, "http-" + run + "-" + client + "-" + i, 0));
            results.add(service);
            String contendedName = "contended-" + run;
            results.add(Harness.phase("contended (one name), lock-service over HTTP", clients, warmup, measure,
                    (client, i) -> LockCalls.cycle(client % 2 == 0 ? firstUrl : secondUrl, contendedName, 60_000)));
            results.add(handoff("handoff, one replica", firstUrl, firstUrl, run));
            results.add(handoff("handoff, across two replicas (NOTIFY)", firstUrl, secondUrl, run));

            System.out.println(Result.header());
            results.forEach(result -> System.out.println(result.line()));
            System.out.printf(Locale.ROOT, "%nUncontended lock-service / JDBC baseline: %.0f%% "
                    + "(target: at least 50%%)%n", 100.0 * service.throughput() / baseline.throughput());
            System.out.printf(Locale.ROOT, "Handoff p99: %.2f ms on one replica, %.2f ms across two "
                    + "(target: under 10 ms)%n", results.get(3).p99Millis(), results.get(4).p99Millis());
        }
    }

    /**
     * Times releases that hand the lock to a waiter already queued, from the release to the
     * waiter's grant, after warm-up handoffs that are not recorded.
     */
    private Result handoff(String name, String holderUrl, String waiterUrl, String run) throws Exception {
        System.out.printf("  %s: %d handoffs after %d to warm up...%n", name, handoffs, handoffWarmup);
        String lock = "handoff-" + run + "-" + name.length();
        Histogram latency = Harness.histogram();
        String lease = LockCalls.acquire(holderUrl, lock, 0);
        String holderSide = holderUrl;
        long started = System.nanoTime();
        for (int round = -handoffWarmup; round < handoffs; round++) {
            if (round == 0) {
                latency.reset();
                started = System.nanoTime();
            }
            String nextUrl = round % 2 == 0 ? waiterUrl : holderUrl;
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return LockCalls.acquire(nextUrl, lock, 30_000);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!Harness.send("GET", holderSide + "/api/v1/locks/" + lock, null).contains("\"waiters\":1")) {
                Thread.sleep(1);
            }
            long releasedAt = System.nanoTime();
            Harness.send("DELETE", holderSide + "/api/v1/locks/" + lock + "/leases/" + lease, null);
            lease = waiting.join();
            latency.recordValue(Math.max(1, (System.nanoTime() - releasedAt) / 1000));
            holderSide = nextUrl;
        }
        Result result = new Result(name, handoffs, (System.nanoTime() - started) / 1e9, latency);
        System.out.println("    " + result.line().trim());
        return result;
    }

    private static HikariDataSource pool(TestDatabase database) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setSchema("locks");
        pool.setMaximumPoolSize(10);
        return pool;
    }

}
