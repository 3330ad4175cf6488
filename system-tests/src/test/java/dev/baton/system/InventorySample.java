package dev.baton.system;

import dev.baton.process.ServiceJars;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample application ({@code samples/inventory}) as a user runs it: its own process from its
 * runnable jar, pointed at the cluster's gateway with a WRITE key and the scheduler's signing
 * secret, exporting its spans to the cluster's receiver. Its output goes to
 * {@code target/inventory-<port>.log}.
 */
final class InventorySample implements AutoCloseable {

    private final Process process;
    private final int port;
    final Path log;

    private InventorySample(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts it with {@code extra} properties ({@code key=value}) and waits until it serves its
     * API and the registry lists it, so that a job can reach it.
     */
    static InventorySample start(Cluster cluster, String... extra) throws Exception {
        int port = ServiceProcess.freePort();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar().toString(),
                "--server.port=" + port,
                "--baton.url=" + cluster.gateway.url(),
                "--baton.api-key=" + TestApiKeys.WRITE,
                "--" + TestWorkers.WORKER_SIGNING,
                "--baton.discovery.host=localhost",
                "--management.tracing.sampling.probability=1.0"));
        cluster.traces.exportTo().forEach(property -> command.add("--" + property));
        for (String property : extra) {
            command.add("--" + property);
        }
        Path log = Path.of("target", "inventory-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "inventory-" + port + "-reaper"));
        InventorySample sample = new InventorySample(process, port, log);
        try {
            Cluster.awaitUntil(
                    Duration.ofSeconds(120), "the sample serves /inventory/settings (see " + log + ")", () -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "the sample exited with " + process.exitValue() + "; see " + log);
                        }
                        return sample.answers();
                    });
            Cluster.awaitUntil(
                    Duration.ofSeconds(30),
                    "the registry lists the sample",
                    () -> cluster
                            .http()
                            .get("/api/v1/registry/services/inventory/instances", TestApiKeys.READ)
                            .json()
                            .findValues("port")
                            .stream()
                            .anyMatch(listed -> listed.asInt() == port));
        } catch (Exception | AssertionError e) {
            sample.close();
            throw e;
        }
        return sample;
    }

    /** The sample's own API, called directly, as the service's clients do. */
    TestHttp http() {
        return TestHttp.localhost(port);
    }

    private boolean answers() {
        try {
            return http().get("/inventory/settings", null).status() == 200;
        } catch (UncheckedIOException notYetListening) {
            return false;
        }
    }

    private static Path jar() throws IOException {
        Path target =
                Path.of("..", "samples", "inventory", "target").toAbsolutePath().normalize();
        return ServiceJars.find(target)
                .orElseThrow(() -> new IllegalStateException("No runnable jar in " + target
                        + "; build it first: ./mvnw -DskipTests -pl samples/inventory -am package"));
    }

    /** Stops it gracefully (SIGTERM): it deregisters from the registry. */
    @Override
    public void close() {
        process.destroy();
        ServiceJars.awaitStop(process, Duration.ofSeconds(30));
    }
}
