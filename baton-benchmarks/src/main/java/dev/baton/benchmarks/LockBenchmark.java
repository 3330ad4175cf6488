package dev.baton.benchmarks;

import dev.baton.benchmarks.Harness.Result;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * Measures lock-service against its peers, in one run on one machine: acquire+release cycles of
 * <ol>
 * <li>the raw JDBC baseline, the least durable lease SQL on the same PostgreSQL ({@link JdbcLeases});
 * <li>etcd's lock API through jetcd ({@link EtcdLocks}), skipped when etcd is not installed;
 * <li>Redisson's {@code RLock} and {@code RFencedLock} on the machine's Redis ({@link RedissonLocks}),
 * skipped when Redis does not answer;
 * <li>lock-service over HTTP, direct to a replica;
 * <li>lock-service through the gateway, which finds that replica in the registry.
 * </ol>
 * Every service runs from its runnable jar in its own process, with the container images' JVM
 * options, and is called over HTTP only. Cycles are uncontended: each client cycles over
 * {@value #NAMES_PER_CLIENT} names of its own. Each system warms up with every client, then is
 * measured with {@code BENCH_CLIENTS} clients and with one. The peers go first, before any service
 * is started. lock-service's two paths warm up together, half the clients each, for the warm-up's
 * time and then until the JIT compilers of lock-service and the gateway are quiet, so that C2 has
 * compiled their request paths; the peers' servers have no JIT to wait for, only the harness's
 * client code, and warm up for less.
 * Then the handoff latency, from a release to the grant of a waiter already queued, on one replica
 * and across two, and etcd's, measured the same way after its cycles. Prints one table, each system's ratio to etcd and to Redisson's fenced lock (n/a
 * for a peer skipped), and whether each target is met.
 *
 * <p>Settings (environment): {@code BENCH_CLIENTS} (16), {@code BENCH_SECONDS} per measured phase
 * (10), {@code BENCH_WARMUP_SECONDS} for lock-service and the gateway (120) and
 * {@code BENCH_WARMUP_MAX_SECONDS} (600) for the longest it goes on while they compile,
 * {@code BENCH_PEER_WARMUP_SECONDS} for the baseline and each peer (20, or the former if shorter),
 * {@code BENCH_ROUNDS} (3) of lock-service's phases, direct and through the gateway in turn, each
 * figure the median of its rounds, {@code BENCH_HANDOFFS} (300) measured after
 * at least {@code BENCH_HANDOFF_WARMUP} (100) unmeasured ones and until the replicas' compilers are
 * quiet,
 * {@code BENCH_ETCD}, {@code BENCH_REDIS}, {@code BENCH_SERVICE_JAVA_OPTS}, {@code BENCH_PEERS}
 * ({@code true}; {@code false} measures lock-service alone, for profiling, and leaves the ratios
 * n/a); the database as for the tests ({@code BATON_TEST_DB_URL}, else Testcontainers, else
 * embedded).
 */
final class LockBenchmark {

    private static final int NAMES_PER_CLIENT = 64;
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** How often a handoff's warm-up looks at the compilers, once its least handoffs are done. */
    private static final Duration HANDOFF_LOOK = Duration.ofSeconds(10);

    private static final Comparator<Result> BY_THROUGHPUT = Comparator.comparingDouble(Result::throughput);
    private static final Comparator<Result> BY_P50 = Comparator.comparingDouble(Result::p50Millis);

    private static final String JDBC = "JDBC baseline (raw SQL)";
    private static final String ETCD = "etcd (jetcd lock+unlock)";
    private static final String RLOCK = "Redisson RLock";
    private static final String FENCED = "Redisson RFencedLock";
    private static final String DIRECT = "lock-service, direct";
    private static final String GATEWAY = "lock-service, through the gateway";

    private final int clients = Harness.intEnv("BENCH_CLIENTS", 16);
    private final Duration measure = Duration.ofSeconds(Harness.intEnv("BENCH_SECONDS", 10));
    private final Duration warmup = Duration.ofSeconds(Harness.intEnv("BENCH_WARMUP_SECONDS", 120));
    private final Duration longestWarmup =
            Duration.ofSeconds(Harness.intEnv("BENCH_WARMUP_MAX_SECONDS", (int) Math.max(600, warmup.toSeconds())));
    private final Duration peerWarmup =
            Duration.ofSeconds(Harness.intEnv("BENCH_PEER_WARMUP_SECONDS", (int) Math.min(20, warmup.toSeconds())));
    private final int rounds = Harness.intEnv("BENCH_ROUNDS", 3);
    private final int handoffs = Harness.intEnv("BENCH_HANDOFFS", 300);
    private final int handoffWarmup = Harness.intEnv("BENCH_HANDOFF_WARMUP", 100);
    private final boolean peers = !"false".equals(System.getenv("BENCH_PEERS"));
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Measured> systems = new LinkedHashMap<>();
    /** etcd's handoff on the same machine, for the handoff's figures; null when etcd was skipped. */
    private Result etcdHandoff;

    /** A system measured with every client and with one, or why it was skipped. */
    private record Measured(Result many, Result one, String skipped) {

        static Measured skipped(String reason) {
            return new Measured(null, null, reason);
        }

        boolean present() {
            return skipped == null;
        }
    }

    void run() throws Exception {
        TestDatabase database = TestDatabase.get();
        System.out.printf(
                "Lock benchmark: %d clients and 1, %d s per phase, warm-up %d s for lock-service and %d s "
                        + "for each peer, on %s%n",
                clients, measure.toSeconds(), warmup.toSeconds(), peerWarmup.toSeconds(), database.url());
        // The peers go first, before any service is started: a service's JVM compiles its start-up
        // code for a while after it is ready, on the cores a peer would be measured on.
        if (peers) {
            measureJdbc(database);
            measureEtcd();
            measureRedisson();
        } else {
            System.out.println("BENCH_PEERS=false: the baseline and the peers are not measured");
            systems.put(JDBC, Measured.skipped("BENCH_PEERS=false"));
            systems.put(ETCD, Measured.skipped("BENCH_PEERS=false"));
            systems.put(RLOCK, Measured.skipped("BENCH_PEERS=false"));
            systems.put(FENCED, Measured.skipped("BENCH_PEERS=false"));
        }
        List<String> jvm = Harness.serviceJavaOptions();
        System.out.println("Starting the registry, two lock-service replicas (the first registered for the gateway) "
                + "and the gateway, each in its own process, with JVM options " + String.join(" ", jvm) + "...");
        long starting = System.nanoTime();
        try (ServiceProcess registry = ServiceProcess.start("registry", jvm, "logging.level.root=WARN");
                ServiceProcess lockService = ServiceProcess.start(
                        "lock-service",
                        jvm,
                        "logging.level.root=WARN",
                        "baton.discovery.url=" + registry.url(),
                        "baton.discovery.api-key=" + TestApiKeys.WRITE,
                        "baton.discovery.host=localhost");
                ServiceProcess second = ServiceProcess.start("lock-service", jvm, "logging.level.root=WARN");
                ServiceProcess gateway = ServiceProcess.start(
                        "gateway",
                        jvm,
                        "logging.level.root=WARN",
                        "baton.discovery.url=" + registry.url(),
                        "baton.discovery.api-key=" + TestApiKeys.READ,
                        "baton.discovery.register=false",
                        "baton.gateway.upstreams.lock-service=lb://lock-service")) {
            System.out.printf("  all ready in %d s%n", (System.nanoTime() - starting) / 1_000_000_000L);
            measureLockService(lockService.url(), gateway.url());
            Result oneReplica = handoff(
                    "handoff, one replica",
                    "one",
                    lockService.url(),
                    lockService.url(),
                    new Harness.Compilers(Map.of("lock-service", lockService.url())));
            Result twoReplicas = handoff(
                    "handoff, across two replicas",
                    "two",
                    lockService.url(),
                    second.url(),
                    new Harness.Compilers(Map.of("lock-service", lockService.url(), "second replica", second.url())));
            report(oneReplica, twoReplicas);
        }
    }

    private void measureJdbc(TestDatabase database) throws Exception {
        System.out.printf("%s, in schema %s...%n", JDBC, JdbcLeases.SCHEMA);
        try (JdbcLeases jdbc = JdbcLeases.create(database)) {
            systems.put(JDBC, measure(JDBC, (client, i) -> jdbc.cycle(name("jdbc", client, i))));
        }
    }

    private void measureEtcd() throws Exception {
        Optional<Path> binary = EtcdLocks.binary();
        if (binary.isEmpty()) {
            System.out.println("etcd not installed: skipped (apt-get install etcd-server)");
            systems.put(ETCD, Measured.skipped("etcd not installed"));
            return;
        }
        System.out.println(ETCD + "...");
        try (EtcdLocks etcd = EtcdLocks.start(binary.get())) {
            etcd.grantLeases(clients);
            systems.put(ETCD, measure(ETCD, (client, i) -> etcd.cycle(client, "/" + name("etcd", client, i))));
            System.out.printf("  %s handoff: %d handoffs after %d to warm up...%n", ETCD, handoffs, handoffWarmup);
            etcdHandoff = etcd.handoffs(ETCD + " handoff", "/bench-" + run + "-etcd-handoff", handoffWarmup, handoffs);
            System.out.println("    " + etcdHandoff.line().trim());
        }
    }

    private void measureRedisson() throws InterruptedException {
        String address = RedissonLocks.address();
        if (!RedissonLocks.reachable(address)) {
            System.out.println("Redis not reachable at " + address + ": Redisson skipped (set BENCH_REDIS)");
            systems.put(RLOCK, Measured.skipped("Redis down"));
            systems.put(FENCED, Measured.skipped("Redis down"));
            return;
        }
        try (RedissonLocks redisson = RedissonLocks.connect(address, "bench-" + run + "-")) {
            System.out.printf("Redisson on %s (%s)...%n", address, redisson.describe());
            systems.put(RLOCK, measure(RLOCK, (client, i) -> redisson.lockCycle(name("rlock", client, i))));
            systems.put(FENCED, measure(FENCED, (client, i) -> redisson.fencedCycle(name("fenced", client, i))));
        }
    }

    /**
     * Both paths warm up together, half the clients each, so that neither is measured while the
     * other's code is still being compiled; then each is measured with every client, and with one.
     */
    private void measureLockService(String directUrl, String gatewayUrl) throws InterruptedException {
        System.out.println("lock-service, direct and through the gateway...");
        Harness.Compilers compilers = new Harness.Compilers(Map.of("lock-service", directUrl, "gateway", gatewayUrl));
        Harness.Operation direct = (client, i) -> LockCalls.cycle(directUrl, name("direct", client, i), 0);
        Harness.Operation proxied = (client, i) -> LockCalls.cycle(gatewayUrl, name("gateway", client, i), 0);
        Harness.warmUp(
                "lock-service, half direct and half through the gateway",
                clients,
                warmup,
                longestWarmup,
                compilers,
                (client, i) -> (client % 2 == 0 ? direct : proxied).run(client / 2, i));
        List<Result> directMany = new ArrayList<>();
        List<Result> gatewayMany = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            directMany.add(Harness.phase(phase(DIRECT, clients, round), clients, SETTLE, measure, direct));
            gatewayMany.add(Harness.phase(phase(GATEWAY, clients, round), clients, SETTLE, measure, proxied));
        }
        List<Result> directOne = new ArrayList<>();
        List<Result> gatewayOne = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            directOne.add(Harness.phase(phase(DIRECT, 1, round), 1, SETTLE, measure, direct));
            gatewayOne.add(Harness.phase(phase(GATEWAY, 1, round), 1, SETTLE, measure, proxied));
        }
        systems.put(DIRECT, medians(DIRECT, directMany, directOne));
        systems.put(GATEWAY, medians(GATEWAY, gatewayMany, gatewayOne));
    }

    /** A system's figures from its rounds: the median throughput with every client, the median p50 with one. */
    private Measured medians(String system, List<Result> many, List<Result> one) {
        return new Measured(
                Harness.median(phase(system, clients, 0), many, BY_THROUGHPUT),
                Harness.median(phase(system, 1, 0), one, BY_P50),
                null);
    }

    /** A measured phase's name: the system, its clients, and its round when there are several (0 for their median). */
    private String phase(String system, int clientCount, int round) {
        String name = system + ", " + clientCount + (clientCount == 1 ? " client" : " clients");
        if (rounds == 1) {
            return name;
        }
        return round == 0 ? name + ", median of " + rounds : name + ", round " + round + " of " + rounds;
    }

    /** Warms a peer up with every client, then measures it with every client and with one. */
    private Measured measure(String system, Harness.Operation cycle) throws InterruptedException {
        Harness.warmUp(system, clients, peerWarmup, cycle);
        Result many = Harness.phase(system + ", " + clients + " clients", clients, SETTLE, measure, cycle);
        Result one = Harness.phase(system + ", 1 client", 1, SETTLE, measure, cycle);
        return new Measured(many, one, null);
    }

    /** The client's {@code i}th name: it cycles over {@value #NAMES_PER_CLIENT} names of its own. */
    private String name(String system, int client, long i) {
        return "bench-" + run + "-" + system + "-" + client + "-" + (i % NAMES_PER_CLIENT);
    }

    /**
     * Times releases that hand the lock to a waiter already queued, from the release to the
     * waiter's grant, after warm-up handoffs that are not recorded: at least
     * {@code BENCH_HANDOFF_WARMUP}, then on until the replicas' compilers are quiet, since the
     * handoff's paths (a waiting request, a grant announced, the reads that see the waiter) are
     * new to them.
     */
    private Result handoff(String name, String tag, String holderUrl, String waiterUrl, Harness.Compilers compilers)
            throws Exception {
        System.out.printf(
                "  %s: %d handoffs after at least %d to warm up, then until the JIT compilers of %s are quiet...%n",
                name, handoffs, handoffWarmup, compilers.names());
        Handoffs lock = new Handoffs("bench-" + run + "-handoff-" + tag, holderUrl, waiterUrl);
        long begun = System.nanoTime();
        long lookedAt = begun;
        for (int warm = 1; ; warm++) {
            lock.next();
            long now = System.nanoTime();
            if (warm >= handoffWarmup && now - lookedAt >= HANDOFF_LOOK.toNanos()) {
                lookedAt = now;
                List<String> busy = compilers.busy();
                if (busy.isEmpty()) {
                    break;
                }
                if (now - begun >= longestWarmup.toNanos()) {
                    System.out.printf(
                            "    the longest warm-up is over while still compiling: %s%n", String.join(", ", busy));
                    break;
                }
                System.out.printf("    %d handoffs, compiling: %s%n", warm, String.join(", ", busy));
            }
        }
        Histogram latency = Harness.histogram();
        long started = System.nanoTime();
        for (int round = 0; round < handoffs; round++) {
            latency.recordValue(lock.next());
        }
        Result result = new Result(name, latency.getTotalCount(), (System.nanoTime() - started) / 1e9, latency);
        System.out.println("    " + result.line().trim());
        return result;
    }

    /** One lock handed from its holder to a waiter already queued, again and again, between two replicas' sides. */
    private static final class Handoffs {

        private final String lock;
        private final String[] sides;
        private String lease;
        private int holder;

        Handoffs(String lock, String holderUrl, String waiterUrl) throws IOException {
            this.lock = lock;
            this.sides = new String[] {holderUrl, waiterUrl};
            this.lease = LockCalls.acquire(holderUrl, lock, 0);
        }

        /**
         * Queues a waiter on the other side, waits until the holder's replica shows it, releases;
         * answers the microseconds from the release's sending to the waiter's grant.
         */
        long next() throws Exception {
            String holderSide = sides[holder];
            String waiterSide = sides[1 - holder];
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return LockCalls.acquire(waiterSide, lock, 30_000);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!Harness.send("GET", holderSide + "/api/v1/locks/" + lock, null)
                    .contains("\"waiters\":1")) {
                Thread.sleep(1);
            }
            long releasedAt = System.nanoTime();
            Harness.send("DELETE", holderSide + "/api/v1/locks/" + lock + "/leases/" + lease, null);
            lease = waiting.join();
            holder = 1 - holder;
            return Math.max(1, (System.nanoTime() - releasedAt) / 1000);
        }
    }

    private void report(Result oneReplica, Result twoReplicas) {
        List<Result> phases = new ArrayList<>();
        systems.values().stream().filter(Measured::present).forEach(m -> phases.addAll(List.of(m.many(), m.one())));
        phases.addAll(List.of(oneReplica, twoReplicas));
        System.out.println(Result.header());
        phases.forEach(result -> System.out.println(result.line()));

        Measured etcd = systems.get(ETCD);
        Measured fenced = systems.get(FENCED);
        String row = "%-34s | %19s | %15s | %15s | %13s | %20s%n";
        System.out.printf(
                Locale.ROOT,
                "%n" + row,
                "system (acquire+release cycles)",
                clients + " clients cycles/s",
                "1 client p50 ms",
                "1 client p99 ms",
                "ratio to etcd",
                "ratio to RFencedLock");
        systems.forEach((system, measured) -> {
            if (measured.present()) {
                System.out.printf(
                        Locale.ROOT,
                        row,
                        system,
                        format("%.0f", measured.many().throughput()),
                        format("%.2f", measured.one().p50Millis()),
                        format("%.2f", measured.one().p99Millis()),
                        ratio(measured, etcd),
                        ratio(measured, fenced));
            } else {
                System.out.print(
                        String.format(Locale.ROOT, row, system, "skipped", "-", "-", "n/a", "n/a")
                                        .stripTrailing() + "  (" + measured.skipped() + ")\n");
            }
        });
        System.out.printf(
                Locale.ROOT,
                "%nHandoff p99 (release to the queued waiter's grant): %.2f ms on one replica, "
                        + "%.2f ms across two; etcd %s%n",
                oneReplica.p99Millis(),
                twoReplicas.p99Millis(),
                etcdHandoff == null
                        ? "skipped"
                        : String.format(
                                Locale.ROOT,
                                "%.2f ms (p50 %.2f ms)",
                                etcdHandoff.p99Millis(),
                                etcdHandoff.p50Millis()));

        Measured direct = systems.get(DIRECT);
        Measured gateway = systems.get(GATEWAY);
        double directMany = direct.many().throughput();
        System.out.println("\nTargets:");
        if (etcd.present()) {
            double ratio = directMany / etcd.many().throughput();
            check(
                    ratio >= 0.75,
                    String.format(
                            Locale.ROOT,
                            "%d clients, direct >= 0.75 x etcd: %.2f x (%.0f/s, etcd " + "%.0f/s)",
                            clients,
                            ratio,
                            directMany,
                            etcd.many().throughput()));
        } else {
            System.out.printf("  %-7s %d clients, direct >= 0.75 x etcd: etcd skipped%n", "n/a", clients);
        }
        check(
                direct.one().p50Millis() <= 1.5,
                String.format(
                        Locale.ROOT,
                        "1 client, direct p50 <= 1.5 ms per cycle: " + "%.2f ms",
                        direct.one().p50Millis()));
        double share = gateway.many().throughput() / directMany;
        check(
                share >= 0.75,
                String.format(
                        Locale.ROOT,
                        "%d clients, gateway >= 75%% of direct: %.0f%% (%.0f/s, " + "direct %.0f/s)",
                        clients,
                        100 * share,
                        gateway.many().throughput(),
                        directMany));
        double added = gateway.one().p50Millis() - direct.one().p50Millis();
        check(
                added <= 1.0,
                String.format(
                        Locale.ROOT,
                        "1 client, gateway adds <= 0.5 ms per request to p50 (1.0 ms "
                                + "per cycle of two): %.2f ms per cycle (p50 %.2f ms, direct %.2f ms)",
                        added,
                        gateway.one().p50Millis(),
                        direct.one().p50Millis()));
        check(
                oneReplica.p99Millis() < 10,
                String.format(Locale.ROOT, "handoff p99 < 10 ms, one replica: %.2f ms", oneReplica.p99Millis()));
        check(
                twoReplicas.p99Millis() < 10,
                String.format(
                        Locale.ROOT,
                        "handoff p99 < 10 ms, across two replicas: " + "%.2f ms",
                        twoReplicas.p99Millis()));
    }

    /** {@code measured}'s throughput with every client over the peer's, or n/a when the peer was skipped. */
    private static String ratio(Measured measured, Measured peer) {
        if (!peer.present()) {
            return "n/a";
        }
        return format("%.2f x", measured.many().throughput() / peer.many().throughput());
    }

    private static String format(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    private static void check(boolean met, String target) {
        System.out.printf("  %-7s %s%n", met ? "met" : "missed", target);
    }
}
