package dev.baton.benchmarks;

/** Runs one benchmark: {@code locks} (the default) or {@code registry}. */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "locks" : args[0];
        switch (which) {
            case "locks" -> new LockBenchmark().run();
            case "registry" -> new RegistryBenchmark().run();
            default -> {
                System.err.println("Unknown benchmark '" + which + "': choose locks or registry");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
