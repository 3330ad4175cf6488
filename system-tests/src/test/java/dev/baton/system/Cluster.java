package dev.baton.system;

import dev.baton.test.CollectedSpans;
import dev.baton.test.OtlpReceiver;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Baton as deployed, each service its own process from its own jar, on the suite's own
 * PostgreSQL: one registry, two lock-service replicas, two scheduler-service replicas and a
 * gateway that finds the replicas in the registry. Started once for the test JVM and shared by
 * the scenarios, which leave it whole: a replica a scenario kills, it starts again. Every process
 * exports the spans it records to {@link #traces}.
 */
final class Cluster {

    /** Instances drop out of the registry this long after their last heartbeat. */
    static final int TTL_SECONDS = 3;

    private static Cluster instance;

    final StoppablePostgres postgres = new StoppablePostgres();
    final OtlpReceiver traces = OtlpReceiver.start();
    final ServiceProcess registry;
    final List<ServiceProcess> locks = new ArrayList<>();
    final List<ServiceProcess> schedulers = new ArrayList<>();
    final ServiceProcess gateway;

    /**
     * Starts the registry, then every other service side by side: they need only the registry's
     * address, and the gateway finds the replicas in the registry when it routes.
     */
    private Cluster() {
        long start = System.nanoTime();
        registry = start("registry", ServiceProcess.freePort());
        List<Supplier<ServiceProcess>> starts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int lockPort = ServiceProcess.freePort();
            int schedulerPort = ServiceProcess.freePort();
            starts.add(() -> start("lock-service", lockPort));
            starts.add(() -> start("scheduler-service", schedulerPort));
        }
        int gatewayPort = ServiceProcess.freePort();
        starts.add(() -> start(
                "gateway",
                gatewayPort,
                "baton.gateway.upstreams.registry=" + registry.url(),
                "baton.gateway.upstreams.lock-service=lb://lock-service",
                "baton.gateway.upstreams.scheduler-service=lb://scheduler-service"));
        List<ServiceProcess> started = ServiceProcess.startTogether(starts);
        for (int i = 0; i < 2; i++) {
            locks.add(started.get(2 * i));
            schedulers.add(started.get(2 * i + 1));
        }
        gateway = started.get(4);
        System.out.printf(
                "[cluster] PostgreSQL, registry, 2 lock-service, 2 scheduler-service and a gateway "
                        + "started in %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    static synchronized Cluster get() {
        if (instance == null) {
            instance = new Cluster();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "stop-cluster"));
        }
        return instance;
    }

    TestDatabase database() {
        return postgres.database();
    }

    /** The gateway, where every scenario sends its requests, as a user does. */
    TestHttp http() {
        return gateway.http();
    }

    /** Starts a service process (again, on its old port, to replace one that was killed). */
    ServiceProcess start(String module, int port, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "baton.discovery.api-key=" + TestApiKeys.WRITE,
                "baton.discovery.host=localhost",
                "baton.discovery.ttl=" + TTL_SECONDS + "s",
                "baton.discovery.heartbeat-interval=1s",
                "logging.level.root=WARN",
                "logging.level.dev.baton=INFO"));
        properties.addAll(traces.exportTo());
        if (!module.equals("registry")) {
            properties.add("baton.discovery.url=" + registry.url());
        }
        properties.addAll(List.of(extra));
        return ServiceProcess.start(
                module, database(), port, ServiceProcess.FAST_START, properties.toArray(String[]::new));
    }

    /** Kills a lock-service replica (SIGKILL) and starts it again on its port; returns the new process. */
    ServiceProcess restartLock(int index) {
        ServiceProcess old = locks.get(index);
        old.kill();
        ServiceProcess started = start("lock-service", old.port());
        locks.set(index, started);
        return started;
    }

    /** Kills a scheduler replica (SIGKILL) and starts it again on its port; returns the new process. */
    ServiceProcess restartScheduler(int index) {
        ServiceProcess old = schedulers.get(index);
        old.kill();
        ServiceProcess started = start("scheduler-service", old.port());
        schedulers.set(index, started);
        return started;
    }

    /** The number the query's first row starts with, such as a {@code count(*)}. */
    long count(String sql) throws SQLException {
        try (Connection connection = database().connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The numbers the query's rows start with, such as execution ids. */
    Set<Long> ids(String sql) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = database().connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /**
     * Triggers a job through the gateway as a caller that traces: the request carries the
     * {@code traceparent} of span {@code callerSpanId} in trace {@code traceId}.
     */
    TestHttp.Response triggerInTrace(String jobId, String traceId, String callerSpanId) {
        return http().send(
                        "POST",
                        "/api/v1/jobs/" + jobId + "/trigger",
                        TestApiKeys.WRITE,
                        null,
                        Map.of("traceparent", CollectedSpans.traceparent(traceId, callerSpanId)));
    }

    /** A condition read from the database or the API. */
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits until the condition holds; fails the scenario if it does not within the time given. */
    static void awaitUntil(Duration within, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The process id of a scheduler replica, which begins the id it heartbeats under ({@code pid@host-...}). */
    static long pidOf(ServiceProcess replica) {
        return ProcessHandle.current()
                .children()
                .filter(child -> child.info()
                        .arguments()
                        .map(Arrays::asList)
                        .orElse(List.of())
                        .contains("--server.port=" + replica.port()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no process serves port " + replica.port()))
                .pid();
    }

    /** Whether the suite runs its long soak instead of its CI size ({@code -Dbaton.system.soak=true}). */
    static boolean soak() {
        return Boolean.getBoolean("baton.system.soak");
    }

    /** Kills every service at once: the suite's database is dropped with them, and nothing needs a graceful end. */
    private void stop() {
        List<ServiceProcess> all = new ArrayList<>(List.of(gateway));
        all.addAll(schedulers);
        all.addAll(locks);
        all.add(registry);
        all.forEach(ServiceProcess::kill);
        postgres.close();
    }
}
