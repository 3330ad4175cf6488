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
 * calling that replica directly, in the same run. Registry, lock-service and gateway each run in
 * their own process.
 *
 * <p>Settings (environment): {@code BENCH_CLIENTS} (16), {@code BENCH_SECONDS} (15),
 * {@code BENCH_WARMUP_SECONDS} (30), {@code BENCH_SERVICE_JAVA_OPTS}.
 */
final class GatewayBenchmark {

    private final int clients = Harness.intEnv("BENCH_CLIENTS", 16);
    private final Duration measure = Duration.ofSeconds(Harness.intEnv("BENCH_SECONDS", 15));
    private final Duration warmup = Duration.ofSeconds(Harness.intEnv("BENCH_WARMUP_SECONDS", 30));

    void run() throws Exception {
        TestDatabase database = TestDatabase.get();
        System.out.printf("Gateway benchmark: %d clients, %d s per phase after %d s warm-up, on %s%n", clients,
                measure.toSeconds(), warmup.toSeconds(), database.url());
        System.out.println("Starting the registry, lock-service and the gateway, each in its own process...");
        List<String> jvm = Harness.serviceJavaOptions();
        try (ServiceProcess registry = ServiceProcess.start("registry", jvm, "logging.level.root=WARN");
                ServiceProcess lockService = ServiceProcess.start("lock-service", jvm, "logging.level.root=WARN",
                        "baton.discovery.url=" + registry.url(), "baton.discovery.api-key=" + TestApiKeys.WRITE,
                        "baton.discovery.host=localhost");
                ServiceProcess gateway = ServiceProcess.start("gateway", jvm, "logging.level.root=WARN",
                        "baton.discovery.url=" + registry.url(), "baton.discovery.api-key=" + TestApiKeys.READ,
                        "baton.discovery.register=false", "baton.gateway.upstreams.lock-service=lb://lock-service")) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            Result direct = Harness.phase("acquire+release, direct to lock-service", clients, warmup, measure,
                    (client, i) -> LockCalls.cycle(lockService.url(), "direct-" + run + "-" + client + "-" + i, 0));
            Result proxied = Harness.phase("acquire+release, through the gateway", clients, warmup, measure,
                    (client, i) -> LockCalls.cycle(gateway.url(), "gateway-" + run + "-" + client + "-" + i, 0));
            System.out.println(Result.header());
            System.out.println(direct.line());
            System.out.println(proxied.line());
            System.out.printf(Locale.ROOT, "%nThrough the gateway / direct: %.0f%% (target: at least 60%%)%n",
                    100.0 * proxied.throughput() / direct.throughput());
        }
    }
}
