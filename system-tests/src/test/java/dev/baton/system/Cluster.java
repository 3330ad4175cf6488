package dev.baton.system;

import dev.baton.test.OtlpReceiver;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.util.ArrayList;
import java.util.List;

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

    private Cluster() {
        long start = System.nanoTime();
        registry = start("registry", ServiceProcess.freePort());
        for (int i = 0; i < 2; i++) {
            locks.add(start("lock-service", ServiceProcess.freePort()));
            schedulers.add(start("scheduler-service", ServiceProcess.freePort()));
        }
        gateway = start(
                "gateway",
                ServiceProcess.freePort(),
                "baton.gateway.upstreams.registry=" + registry.url(),
                "baton.gateway.upstreams.lock-service=lb://lock-service",
                "baton.gateway.upstreams.scheduler-service=lb://scheduler-service");
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
                module,
                database(),
                port,
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                properties.toArray(String[]::new));
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
