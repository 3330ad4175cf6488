package dev.baton.benchmarks;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Runs one benchmark: {@code locks} (the default: lock-service against a raw JDBC baseline, etcd
 * and Redisson, direct and through the gateway), {@code registry}, {@code ring}, {@code gateway},
 * {@code scheduler} (then its workflows too), {@code workflows} or {@code audit}. Build first
 * with {@code ./mvnw -DskipTests -pl baton-benchmarks -am package}, which builds the services'
 * runnable jars too, then run from the build's root: {@code java -jar
 * baton-benchmarks/target/baton-benchmarks-*-exec.jar locks}.
 */
public final class Benchmarks {

    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        // Some clients' libraries (gRPC, under jetcd) log through java.util.logging: to logback with the rest.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        String which = args.length == 0 ? "locks" : args[0];
        switch (which) {
            case "locks" -> new LockBenchmark().run();
            case "registry" -> new RegistryBenchmark().run();
            case "ring" -> new RingBenchmark().run();
            case "gateway" -> new GatewayBenchmark().run();
            case "scheduler" -> {
                new SchedulerBenchmark().run();
                new WorkflowBenchmark().run();
            }
            case "workflows" -> new WorkflowBenchmark().run();
            case "audit" -> new AuditBenchmark().run();
            default -> {
                System.err.println("Unknown benchmark '" + which
                        + "': choose locks, registry, ring, gateway, scheduler, workflows or audit");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
