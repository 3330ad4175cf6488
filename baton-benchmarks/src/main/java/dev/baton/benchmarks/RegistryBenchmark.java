package dev.baton.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.benchmarks.Harness.Result;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Measures the registry on a real PostgreSQL, with two registry replicas in their own processes:
 * heartbeats per second on one replica against its baseline (the registry's heartbeat
 * {@code UPDATE}, one per heartbeat, over JDBC from this harness: what PostgreSQL sustains without
 * the registry's batching) and against an authenticated request that does nothing, the latency from a change on one replica to a blocking query woken on the
 * other, and the time from an instance's last heartbeat to its disappearance from lists and from
 * watches.
 *
 * <p>Settings (environment): {@code BENCH_CLIENTS} (16), {@code BENCH_SECONDS} (10),
 * {@code BENCH_WARMUP_SECONDS} (10), {@code BENCH_INSTANCES} (1000), {@code BENCH_WATCHERS}
 * (50), {@code BENCH_CHANGES} (500), {@code BENCH_EXPIRIES} (20), {@code BENCH_TTL_MS} (3000).
 */
final class RegistryBenchmark {

    private static final String HEARTBEAT = """
            update instance set expires_at = now() + ttl_ms * interval '1 millisecond'
            where service = ? and instance_id = ? and expires_at > now()
            returning expires_at""";

    private final int clients = Harness.intEnv("BENCH_CLIENTS", 16);
    private final Duration measure = Duration.ofSeconds(Harness.intEnv("BENCH_SECONDS", 10));
    private final Duration warmup = Duration.ofSeconds(Harness.intEnv("BENCH_WARMUP_SECONDS", 10));
    private final int instances = Harness.intEnv("BENCH_INSTANCES", 1000);
    private final int watchers = Harness.intEnv("BENCH_WATCHERS", 50);
    private final int changes = Harness.intEnv("BENCH_CHANGES", 500);
    private final int expiries = Harness.intEnv("BENCH_EXPIRIES", 20);
    private final int ttlMs = Harness.intEnv("BENCH_TTL_MS", 3000);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    void run() throws Exception {
        TestDatabase database = TestDatabase.get();
        System.out.printf(
                "Registry benchmark: %d clients, %d s per phase after %d s warm-up, on %s%n",
                clients, measure.toSeconds(), warmup.toSeconds(), database.url());
        System.out.println("Starting two registry replicas, each in its own process...");
        List<String> jvm = Harness.serviceJavaOptions();
        try (ServiceProcess first = ServiceProcess.start("registry", jvm, "logging.level.root=WARN");
                ServiceProcess second = ServiceProcess.start("registry", jvm, "logging.level.root=WARN");
                HikariDataSource pool = pool(database)) {
            System.out.printf("  registering %d instances...%n", instances);
            for (int i = 0; i < instances; i++) {
                Harness.send(
                        "PUT",
                        instanceUrl(first, service(i), "i-" + i),
                        "{\"host\":\"10.0.0.1\",\"port\":8080,\"ttlMs\":3600000}");
            }
            List<Result> results = new ArrayList<>();
            Result baseline = Harness.phase(
                    "heartbeat, JDBC baseline (an UPDATE each)", clients, warmup, measure, (client, i) -> {
                        int n = (int) ((client * 7919L + i) % instances);
                        try (Connection connection = pool.getConnection();
                                PreparedStatement update = connection.prepareStatement(HEARTBEAT)) {
                            update.setString(1, service(n));
                            update.setString(2, "i-" + n);
                            try (ResultSet rs = update.executeQuery()) {
                                if (!rs.next()) {
                                    throw new IllegalStateException("instance i-" + n + " is gone");
                                }
                            }
                        }
                    });
            results.add(baseline);
            Result service = Harness.phase("heartbeat, registry over HTTP", clients, warmup, measure, (client, i) -> {
                int n = (int) ((client * 7919L + i) % instances);
                Harness.send("PUT", instanceUrl(first, service(n), "i-" + n) + "/heartbeat", null);
            });
            results.add(service);
            results.add(Harness.phase(
                    "authenticated no-op (GET whoami), for reference",
                    clients,
                    warmup,
                    measure,
                    (client, i) -> Harness.send("GET", first.url() + "/api/v1/auth/whoami", null)));
            Result watch = watchLatency(first, second);
            results.add(watch);

            System.out.println(Result.header());
            results.forEach(result -> System.out.println(result.line()));
            System.out.printf(
                    Locale.ROOT,
                    "%nHeartbeats through one registry replica: %.0f/s, %.0f%% of the JDBC "
                            + "baseline (target: at least 5000/s)%n",
                    service.throughput(),
                    100.0 * service.throughput() / baseline.throughput());
            System.out.printf(
                    Locale.ROOT,
                    "Watch latency across replicas: p50 %.2f ms, p99 %.2f ms (target: p99 " + "under 200 ms)%n",
                    watch.latency().getValueAtPercentile(50) / 1000.0,
                    watch.p99Millis());
            expiry(first, second);
        }
    }

    /** A change on the first replica, timed to the answer of a blocking query waiting on the second. */
    private Result watchLatency(ServiceProcess first, ServiceProcess second) throws Exception {
        System.out.printf(
                "  watch latency: %d watchers on one replica, %d changes on the other...%n", watchers, changes);
        AtomicLongArray changedAt = new AtomicLongArray(watchers);
        Histogram latency = Harness.histogram();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            Harness.send("PUT", instanceUrl(first, watched(w), "w"), "{\"host\":\"h\",\"port\":1,\"ttlMs\":3600000}");
        }
        for (int w = 0; w < watchers; w++) {
            int watcher = w;
            Thread thread = new Thread(
                    () -> {
                        try {
                            long index = Harness.get(second.url() + "/api/v1/registry/services/" + watched(watcher)
                                            + "/instances")
                                    .index();
                            while (!stop.get()) {
                                Harness.Indexed answer = Harness.get(second.url() + "/api/v1/registry/services/"
                                        + watched(watcher) + "/instances?wait=30s&index=" + index);
                                long at = changedAt.getAndSet(watcher, 0);
                                if (answer.index() > index && at > 0) {
                                    synchronized (latency) {
                                        latency.recordValue(Math.max(1, (System.nanoTime() - at) / 1000));
                                    }
                                }
                                index = answer.index();
                            }
                        } catch (Exception e) {
                            if (!stop.get()) {
                                throw new IllegalStateException(e);
                            }
                        }
                    },
                    "bench-watcher-" + w);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(1000);
        long started = System.nanoTime();
        for (int c = 0; c < changes; c++) {
            int watcher = c % watchers;
            changedAt.set(watcher, System.nanoTime());
            Harness.send(
                    "PUT",
                    instanceUrl(first, watched(watcher), "w"),
                    "{\"host\":\"h\",\"port\":1,\"ttlMs\":3600000,\"metadata\":{\"change\":\"" + c + "\"}}");
            Thread.sleep(20);
        }
        Thread.sleep(1000);
        stop.set(true);
        Result result = new Result(
                "watch, change to a watcher on another replica",
                latency.getTotalCount(),
                (System.nanoTime() - started) / 1e9,
                latency);
        System.out.println("    " + result.line().trim());
        return result;
    }

    /** Instances that stop heartbeating, timed from their last heartbeat to their disappearance. */
    private void expiry(ServiceProcess first, ServiceProcess second) throws Exception {
        System.out.printf("%n  expiry: %d instances with a %d ms TTL stop heartbeating...%n", expiries, ttlMs);
        String service = "expiring-" + run;
        long[] lastBeat = new long[expiries];
        for (int e = 0; e < expiries; e++) {
            lastBeat[e] = System.nanoTime();
            Harness.send(
                    "PUT",
                    instanceUrl(first, service, "e-" + e),
                    "{\"host\":\"h\",\"port\":" + (e + 1) + ",\"ttlMs\":" + ttlMs + "}");
        }
        Histogram listed = Harness.histogram();
        Histogram watched = Harness.histogram();
        boolean[] goneFromList = new boolean[expiries];
        boolean[] goneFromWatch = new boolean[expiries];
        Thread watcher = new Thread(
                () -> {
                    try {
                        long index = 0;
                        int gone = 0;
                        while (gone < expiries) {
                            Harness.Indexed answer = Harness.get(second.url() + "/api/v1/registry/services/" + service
                                    + "/instances?wait=30s&index=" + index);
                            for (int e = 0; e < expiries; e++) {
                                if (!goneFromWatch[e] && !answer.body().contains("\"e-" + e + "\"")) {
                                    goneFromWatch[e] = true;
                                    gone++;
                                    watched.recordValue((System.nanoTime() - lastBeat[e]) / 1000);
                                }
                            }
                            index = answer.index();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "bench-expiry-watcher");
        watcher.start();
        int gone = 0;
        while (gone < expiries) {
            String body = Harness.get(second.url() + "/api/v1/registry/services/" + service + "/instances")
                    .body();
            long now = System.nanoTime();
            for (int e = 0; e < expiries; e++) {
                if (!goneFromList[e] && !body.contains("\"e-" + e + "\"")) {
                    goneFromList[e] = true;
                    gone++;
                    listed.recordValue((now - lastBeat[e]) / 1000);
                }
            }
            Thread.sleep(10);
        }
        watcher.join(30_000);
        System.out.printf(
                Locale.ROOT,
                "  last heartbeat to gone from lists:   p50 %.0f ms, max %.0f ms (TTL %d ms)%n",
                listed.getValueAtPercentile(50) / 1000.0,
                listed.getMaxValue() / 1000.0,
                ttlMs);
        System.out.printf(
                Locale.ROOT,
                "  last heartbeat to gone from watches: p50 %.0f ms, max %.0f ms%n",
                watched.getValueAtPercentile(50) / 1000.0,
                watched.getMaxValue() / 1000.0);
        System.out.printf(
                Locale.ROOT,
                "Expiry: gone from lists at most %.0f ms and from watches at most %.0f ms after "
                        + "the TTL (target: within TTL + 1000 ms)%n",
                listed.getMaxValue() / 1000.0 - ttlMs,
                watched.getMaxValue() / 1000.0 - ttlMs);
    }

    private String service(int instance) {
        return "bench-" + run + "-" + (instance % 50);
    }

    private String watched(int watcher) {
        return "watched-" + run + "-" + watcher;
    }

    private static String instanceUrl(ServiceProcess registry, String service, String instanceId) {
        return registry.url() + "/api/v1/registry/services/" + service + "/instances/" + instanceId;
    }

    private static HikariDataSource pool(TestDatabase database) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setSchema("registry");
        pool.setMaximumPoolSize(10);
        return pool;
    }
}
