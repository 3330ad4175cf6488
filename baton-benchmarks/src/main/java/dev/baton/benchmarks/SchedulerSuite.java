package dev.baton.benchmarks;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;

/**
 * What the scheduler benchmarks run against: a registry in its own process, with a worker of
 * this harness registered as {@value #WORKER_SERVICE}, and scheduler replicas in processes of
 * their own that find the worker through it, with the service JVM options of {@link
 * Harness#serviceJavaOptions()}.
 */
final class SchedulerSuite implements AutoCloseable {

    /** The service name the worker is registered under, which the benchmarks' jobs target. */
    static final String WORKER_SERVICE = "bench-worker";

    private final ServiceProcess registry;
    private final String[] settings;

    private SchedulerSuite(ServiceProcess registry) {
        this.registry = registry;
        this.settings = new String[] {
            "baton.discovery.url=" + registry.url(),
            "baton.discovery.api-key=" + TestApiKeys.WRITE,
            "baton.discovery.register=false",
            "logging.level.root=WARN"
        };
    }

    /** Starts the registry and registers the worker listening on {@code workerPort}. */
    static SchedulerSuite start(int workerPort) throws Exception {
        ServiceProcess registry = ServiceProcess.start("registry", "logging.level.root=WARN");
        try {
            Harness.send(
                    "PUT",
                    registry.url() + "/api/v1/registry/services/" + WORKER_SERVICE + "/instances/w1",
                    "{\"host\":\"127.0.0.1\",\"port\":" + workerPort + ",\"ttlMs\":3600000}");
            return new SchedulerSuite(registry);
        } catch (Exception e) {
            registry.close();
            throw e;
        }
    }

    /** Starts a scheduler replica in its own process. */
    ServiceProcess startScheduler() {
        return ServiceProcess.start("scheduler-service", Harness.serviceJavaOptions(), settings);
    }

    @Override
    public void close() {
        registry.close();
    }
}
