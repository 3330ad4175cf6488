package dev.baton.local;

import dev.baton.process.ServiceJars;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One Baton service running from its own jar in a child process, with its output in a log file. */
final class ServiceProcess {

    /**
     * A service of the suite.
     *
     * @param name the service's module and application name
     * @param port the port it listens on
     */
    record Definition(String name, int port) {}

    static final Definition GATEWAY = new Definition("gateway", 8080);

    /** The suite in start order; it stops in the reverse order. */
    static final List<Definition> SUITE = List.of(
            new Definition("registry", 8081),
            new Definition("lock-service", 8082),
            new Definition("scheduler-service", 8083),
            GATEWAY);

    /**
     * Four JVMs start at once on a developer's machine: the client compiler alone and the serial
     * collector halve their start-up, at a cost in peak speed that local use does not notice.
     */
    private static final String LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private final Definition definition;
    private final Process process;
    private final Path log;
    private final long startedAt = System.nanoTime();

    private ServiceProcess(Definition definition, Process process, Path log) {
        this.definition = definition;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(
            Definition definition, Path root, Path logs, Map<String, String> environment, List<String> arguments)
            throws IOException {
        ensurePortFree(definition);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(
                BatonLocal.env("BATON_JAVA_OPTS", LOCAL_JAVA_OPTIONS).trim().split("\\s+")));
        command.add("-jar");
        command.add(jar(root, definition.name()).toString());
        command.addAll(arguments);
        Path log = logs.resolve(definition.name() + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ServiceProcess(definition, builder.start(), log);
    }

    private static Path jar(Path root, String module) throws IOException {
        Path target = root.resolve(module).resolve("target");
        return ServiceJars.find(target)
                .orElseThrow(() -> new IllegalStateException(
                        "No runnable jar in " + target + "; build first with ./mvnw -DskipTests package"));
    }

    private static void ensurePortFree(Definition definition) {
        try (ServerSocket probe = new ServerSocket(definition.port())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("Port " + definition.port() + " for " + definition.name()
                    + " is in use; stop whatever listens there first");
        }
    }

    /** Waits until the service's readiness probe answers 200, printing how long it took. */
    void awaitReady(Duration timeout) throws InterruptedException {
        if (!ServiceJars.awaitReady(process, name(), definition.port(), timeout, log)) {
            throw new IllegalStateException(name() + " was not ready within " + timeout.toSeconds() + " s; see " + log);
        }
        System.out.printf(
                "  %-18s ready on port %d (%.1f s)%n",
                name(), definition.port(), (System.nanoTime() - startedAt) / 1e9);
    }

    /** Asks the service to shut down gracefully (SIGTERM). */
    void requestStop() {
        process.destroy();
    }

    void awaitStop(Duration timeout) {
        if (!ServiceJars.awaitStop(process, timeout)) {
            System.err.println(name() + " did not stop within " + timeout.toSeconds() + " s; it was killed");
        }
    }

    static ServiceProcess awaitAnyExit(List<ServiceProcess> services) {
        return CompletableFuture.anyOf(services.stream()
                        .map(service -> service.process.onExit().thenApply(exited -> service))
                        .toArray(CompletableFuture[]::new))
                .thenApply(ServiceProcess.class::cast)
                .join();
    }

    void printLogTail(PrintStream out, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return definition.name();
    }

    int exitCode() {
        return process.exitValue();
    }

    Path log() {
        return log;
    }
}
