package dev.baton.benchmarks;

import dev.baton.benchmarks.Harness.Result;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The gateway's proxy overhead: lock acquire+release cycles through the gateway, routed by
 * consistent hash to a lock-service replica found in the registry, against the same clients
 * calling that replica directly, in the same run: both paths warm up together, then the direct
 * path is measured before and after the gateway. Registry, lock-service and gateway each run in
 * their own process.
 *
 * <p>Settings (environment): {@code BENCH_CLIENTS} (16), {@code BENCH_SECONDS} (15),
 * {@code BENCH_WARMUP_SECONDS} (60), {@code BENCH_SERVICE_JAVA_OPTS}.
 */
final class GatewayBenchmark {

    private final int clients = Harness.intEnv("BENCH_CLIENTS", 16);
    private final Duration measure = Duration.ofSeconds(Harness.intEnv("BENCH_SECONDS", 15));
    private final Duration warmup = Duration.ofSeconds(Harness.intEnv("BENCH_WARMUP_SECONDS", 60));

    void run() throws Exception {
        TestDatabase database = TestDatabase.get();
        System.out.printf(
                "Gateway benchmark: %d clients, %d s per phase after %d s warm-up, on %s%n",
                clients, measure.toSeconds(), warmup.toSeconds(), database.url());
        System.out.println("Starting the registry, lock-service and the gateway, each in its own process...");
        List<String> jvm = Harness.serviceJavaOptions();
        try (ServiceProcess registry = ServiceProcess.start("registry", jvm, "logging.level.root=WARN");
                ServiceProcess lockService = ServiceProcess.start(
                        "lock-service",
                        jvm,
                        "logging.level.root=WARN",
                        "baton.discovery.url=" + registry.url(),
                        "baton.discovery.api-key=" + TestApiKeys.WRITE,
                        "baton.discovery.host=localhost");
                ServiceProcess gateway = ServiceProcess.start(
                        "gateway",
                        jvm,
                        "logging.level.root=WARN",
                        "baton.discovery.url=" + registry.url(),
                        "baton.discovery.api-key=" + TestApiKeys.READ,
                        "baton.discovery.register=false",
                        "baton.gateway.upstreams.lock-service=lb://lock-service")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            Harness.Operation direct =
                    (client, i) -> LockCalls.cycle(lockService.url(), "direct-" + run + "-" + client + "-" + i, 0);
            Harness.Operation proxied =
                    (client, i) -> LockCalls.cycle(gateway.url(), "gateway-" + run + "-" + client + "-" + i, 0);
            // Both paths warm up together, so that neither is measured while the other's code is
            // still being compiled; the direct path is then measured before and after the gateway.
            Harness.phase(
                    "warm-up, half the clients direct and half through the gateway",
                    clients,
                    warmup,
                    Duration.ofSeconds(1),
                    (client, i) -> (client % 2 == 0 ? direct : proxied).run(client, i));
            Duration settle = Duration.ofSeconds(3);
            Result before = Harness.phase("acquire+release, direct to lock-service", clients, settle, measure, direct);
            Result through = Harness.phase("acquire+release, through the gateway", clients, settle, measure, proxied);
            Result after =
                    Harness.phase("acquire+release, direct to lock-service, again", clients, settle, measure, direct);
            System.out.println(Result.header());
            List.of(before, through, after).forEach(result -> System.out.println(result.line()));
            double directThroughput = (before.throughput() + after.throughput()) / 2;
            System.out.printf(
                    Locale.ROOT,
                    "%nThrough the gateway / direct (the mean of both direct phases): %.0f%% "
                            + "(target: at least 60%%)%n",
                    100.0 * through.throughput() / directThroughput);
        }
    }
}
