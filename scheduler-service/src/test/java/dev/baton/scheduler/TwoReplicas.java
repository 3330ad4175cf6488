package dev.baton.scheduler;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import java.util.List;

/**
 * Two scheduler replicas, each its own process on the test database, and the registry their
 * workers register with: started once for every test of the JVM that runs replicas as users run
 * them, and stopped when it exits. A replica a test killed is started again when the next test asks
 * for it.
 */
public final class TwoReplicas {

    private static TwoReplicas started;

    private final ServiceProcess registry;
    private ServiceProcess a;
    private ServiceProcess b;

    private TwoReplicas() {
        registry = ServiceProcess.start("registry");
        List<ServiceProcess> replicas = ServiceProcess.startTogether(List.of(this::replica, this::replica));
        a = replicas.get(0);
        b = replicas.get(1);
    }

    /** The replicas, started by the first test that asks. */
    public static synchronized TwoReplicas get() {
        if (started == null) {
            TwoReplicas replicas = new TwoReplicas();
            Runtime.getRuntime().addShutdownHook(new Thread(replicas::stop));
            started = replicas;
        }
        return started;
    }

    /** A replica as the tests run it: alerts looked for every 50 ms, ten at a time, so that both replicas deliver. */
    private ServiceProcess replica() {
        return ServiceProcess.start(
                "scheduler-service",
                "baton.discovery.url=" + registry.url(),
                "baton.discovery.api-key=" + TestApiKeys.WRITE,
                "baton.discovery.register=false",
                "baton.scheduler.alerts.poll-interval=50ms",
                "baton.scheduler.alerts.batch-size=10");
    }

    public ServiceProcess registry() {
        return registry;
    }

    /** Replica a, started again if a test killed it. */
    public synchronized ServiceProcess a() {
        if (!a.isAlive()) {
            a = replica();
        }
        return a;
    }

    /** Replica b, started again if a test killed it. */
    public synchronized ServiceProcess b() {
        if (!b.isAlive()) {
            b = replica();
        }
        return b;
    }

    private synchronized void stop() {
        for (ServiceProcess process : new ServiceProcess[] {a, b, registry}) {
            try {
                process.close();
            } catch (RuntimeException e) {
                // the next one still has to stop
            }
        }
    }
}
