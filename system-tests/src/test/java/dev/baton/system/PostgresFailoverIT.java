package dev.baton.system;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The primary PostgreSQL dies (SIGKILL) while leases are granted through the gateway, and
 * pg_auto_failover promotes its synchronous standby. The services follow the new primary through
 * their multi-host JDBC URL without a restart, no fencing token is issued twice for a name, and
 * every lease acknowledged with a 2xx is still held. Skipped where pg_auto_failover is not
 * installed (Debian: {@code apt-get install postgresql-15-auto-failover}).
 */
class PostgresFailoverIT {

    private static final int WORKERS = 4;

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final Map<String, List<Long>> tokens = new ConcurrentHashMap<>();
    private final Queue<Held> held = new ConcurrentLinkedQueue<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger grants = new AtomicInteger();
    private final AtomicInteger failedCalls = new AtomicInteger();
    private final AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger grantsAfterKill = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();

    /** A lease acknowledged with 201 that no one releases: it must outlive the failover. */
    private record Held(String name, String leaseId, long token) {}

    @Test
    void a_killed_primary_is_replaced_by_its_synchronous_standby_and_no_lease_or_token_is_lost() throws Exception {
        assumeTrue(
                AutoFailoverFormation.installed(),
                "pg_autoctl is not installed (Debian package postgresql-15-auto-failover):"
                        + " the PostgreSQL failover scenario is skipped");
        Report report = new Report("postgres failover");
        List<ServiceProcess> services = new ArrayList<>();
        try (AutoFailoverFormation formation = new AutoFailoverFormation()) {
            formation.start();
            report.check(
                    formation.setting("node1", "synchronous_standby_names").startsWith("ANY 1 ("),
                    "the primary waits for its standby: synchronous_standby_names = %s",
                    formation.setting("node1", "synchronous_standby_names"));

            TestDatabase database = TestDatabase.on(formation.jdbcUrl(), "postgres", "");
            ServiceProcess registry = ServiceProcess.start(
                    "registry", database, ServiceProcess.freePort(), ServiceProcess.FAST_START, discovery(null));
            services.add(registry);
            int locksPort = ServiceProcess.freePort();
            int gatewayPort = ServiceProcess.freePort();
            List<ServiceProcess> started = ServiceProcess.startTogether(List.of(
                    () -> ServiceProcess.start(
                            "lock-service", database, locksPort, ServiceProcess.FAST_START, discovery(registry.url())),
                    () -> ServiceProcess.start(
                            "gateway",
                            database,
                            gatewayPort,
                            ServiceProcess.FAST_START,
                            discovery(
                                    registry.url(),
                                    "baton.gateway.upstreams.registry=" + registry.url(),
                                    "baton.gateway.upstreams.lock-service=lb://lock-service",
                                    "baton.gateway.upstreams.scheduler-service=lb://scheduler-service"))));
            services.addAll(started);
            ServiceProcess locks = started.get(0);
            ServiceProcess gateway = started.get(1);
            report.check(
                    Files.readString(log(locks))
                            .contains("Commits are acknowledged once a synchronous standby has them"),
                    "lock-service reported at start-up that commits wait for a synchronous standby");
            report.did(
                    "formation (monitor, node1 primary, node2 synchronous standby), registry, lock-service and gateway started");

            List<Thread> workers = new ArrayList<>();
            for (int worker = 0; worker < WORKERS; worker++) {
                int id = worker;
                Thread thread = new Thread(() -> work(gateway.http(), id), "failover-worker-" + id);
                thread.start();
                workers.add(thread);
            }
            AutoFailoverFormation.await(
                    Duration.ofSeconds(30), () -> grants.get() >= 40, "40 leases granted before the fault");

            formation.kill("node1");
            long killed = System.nanoTime();
            killedAt.set(killed);
            report.did("fault: node1's pg_autoctl and PostgreSQL killed (SIGKILL) after %d grants", grants.get());
            AutoFailoverFormation.await(
                    Duration.ofSeconds(30), () -> formation.writable("node2"), "node2 to take writes");
            report.did(
                    "node2 takes writes %.1f s after the kill (state %s)",
                    (System.nanoTime() - killed) / 1e9, formation.state("node2"));
            AutoFailoverFormation.await(
                    Duration.ofSeconds(30), () -> grantsAfterKill.get() >= 20, "20 leases granted after the kill");
            report.did(
                    "20 leases granted through the gateway %.1f s after the kill", (System.nanoTime() - killed) / 1e9);
            Thread.sleep(2000);
            stop.set(true);
            for (Thread worker : workers) {
                worker.join(40_000);
            }

            report.check(
                    services.stream().allMatch(ServiceProcess::isAlive),
                    "registry, lock-service and gateway ran on, never restarted");
            violations.forEach(violation -> report.violation("%s", violation));
            report.check(
                    tokens.values().stream().mapToInt(List::size).sum() > 0 && violations.isEmpty(),
                    "%d fencing tokens on %d names, each name's strictly increasing: none issued twice",
                    grants.get(),
                    tokens.size());
            int kept = 0;
            for (Held lease : held) {
                TestHttp.Response renewed = gateway.http()
                        .send(
                                "PUT",
                                "/api/v1/locks/" + lease.name() + "/leases/" + lease.leaseId(),
                                TestApiKeys.WRITE,
                                "{\"ttlMs\":60000}");
                if (renewed.status() == 200) {
                    kept++;
                } else {
                    report.violation(
                            "lease %s on %s (token %d), acknowledged 201, answers %d after the failover: %s",
                            lease.leaseId(), lease.name(), lease.token(), renewed.status(), renewed.body());
                }
            }
            report.check(
                    !held.isEmpty() && kept == held.size(),
                    "all %d held leases acknowledged before and during the failover" + " are still held after it",
                    held.size());
            report.did("%d calls failed or went unanswered during the failover, none acknowledged", failedCalls.get());
        } finally {
            services.forEach(ServiceProcess::kill);
        }
        report.end();
    }

    /**
     * One client: takes and releases its own lock, checking each token against the last one it
     * was given for that name, and every fifth round takes a lease on a new name that it keeps.
     */
    private void work(TestHttp http, int worker) {
        String name = "failover-" + run + "-" + worker;
        for (int round = 0; !stop.get(); round++) {
            boolean keep = round % 5 == 4;
            String target = keep ? "failover-held-" + run + "-" + worker + "-" + round : name;
            TestHttp.Response granted;
            try {
                granted = http.send(
                        "POST",
                        "/api/v1/locks/" + target + "/leases",
                        TestApiKeys.WRITE,
                        "{\"owner\":\"failover-" + worker + "\",\"ttlMs\":" + (keep ? 120000 : 3000) + "}");
            } catch (RuntimeException unanswered) {
                failedCalls.incrementAndGet();
                continue;
            }
            if (granted.status() != 201) {
                failedCalls.incrementAndGet();
                pause();
                continue;
            }
            long token = granted.json().path("token").asLong();
            String leaseId = granted.json().path("leaseId").asString();
            List<Long> issued = tokens.computeIfAbsent(target, key -> new CopyOnWriteArrayList<>());
            if (!issued.isEmpty() && token <= issued.get(issued.size() - 1)) {
                violations.add("token " + token + " on " + target + " after " + issued);
            }
            issued.add(token);
            grants.incrementAndGet();
            if (System.nanoTime() > killedAt.get()) {
                grantsAfterKill.incrementAndGet();
            }
            if (keep) {
                held.add(new Held(target, leaseId, token));
                continue;
            }
            try {
                http.send("DELETE", "/api/v1/locks/" + target + "/leases/" + leaseId, TestApiKeys.WRITE, null);
            } catch (RuntimeException unanswered) {
                failedCalls.incrementAndGet();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String[] discovery(String registryUrl, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "baton.discovery.api-key=" + TestApiKeys.WRITE,
                "baton.discovery.host=localhost",
                "baton.discovery.ttl=3s",
                "baton.discovery.heartbeat-interval=1s",
                "logging.level.root=WARN",
                "logging.level.dev.baton=INFO"));
        if (registryUrl != null) {
            properties.add("baton.discovery.url=" + registryUrl);
        }
        properties.addAll(List.of(extra));
        return properties.toArray(String[]::new);
    }

    private static Path log(ServiceProcess service) {
        return Path.of("target", "lock-service-" + service.port() + ".log").toAbsolutePath();
    }
}
