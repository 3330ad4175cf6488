package dev.baton.benchmarks;

/** Runs one benchmark: {@code locks} (the default), {@code registry}, {@code ring}, {@code gateway} or {@code scheduler}. */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "locks" : args[0];
        switch (which) {
            case "locks" -> new LockBenchmark().run();
            case "registry" -> new RegistryBenchmark().run();
            case "ring" -> new RingBenchmark().run();
            case "gateway" -> new GatewayBenchmark().run();
            case "scheduler" -> new SchedulerBenchmark().run();
            default -> {
                System.err.println("Unknown benchmark '" + which + "': choose locks, registry, ring, gateway or scheduler");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
