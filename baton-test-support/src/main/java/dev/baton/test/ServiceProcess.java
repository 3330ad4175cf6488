package dev.baton.test;

import dev.baton.process.ServiceJars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Baton service running from its own runnable jar in a child process, on this JVM's
 * {@link TestDatabase}, accepting the {@link TestApiKeys}: for tests that need a service as users
 * run it, apart from the test's own classpath. The jar is the module's {@code target/*-exec.jar},
 * built earlier in the same Maven run, found from the build's root or from a sibling module. A
 * scheduler signs and reaches its workers as {@link TestWorkers} says. Its
 * output goes to {@code target/<module>-<port>.log} under the working directory.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String module;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String module, int port, Process process, Path log) {
        this.module = module;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * The JVM options of a service started for a test, which favour start-up time over peak speed:
     * the client compiler alone and the serial collector. A service started with them also maps
     * its start-up classes from its module's {@link ClassDataArchive}.
     */
    public static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * Starts the module's service with {@code properties} ({@code key=value}) as command-line
     * arguments and waits until it is ready.
     */
    public static ServiceProcess start(String module, String... properties) {
        return start(module, FAST_START, properties);
    }

    /**
     * Starts services side by side, each as its start says, and returns them in that order once
     * every one is ready: a test that needs several waits for the slowest, not for their sum. If
     * one fails to start, those that did are stopped and its failure is thrown.
     */
    public static List<ServiceProcess> startTogether(List<Supplier<ServiceProcess>> starts) {
        ExecutorService threads = Executors.newFixedThreadPool(starts.size());
        try {
            List<Future<ServiceProcess>> started = new ArrayList<>();
            starts.forEach(start -> started.add(threads.submit(start::get)));
            List<ServiceProcess> services = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<ServiceProcess> service : started) {
                try {
                    services.add(service.get());
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof RuntimeException cause
                            ? cause
                            : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new IllegalStateException("interrupted while services started", e);
                }
            }
            if (failure != null) {
                services.forEach(ServiceProcess::kill);
                throw failure;
            }
            return services;
        } finally {
            threads.shutdown();
        }
    }

    /**
     * Starts the module's service with these JVM options (a test's defaults favour start-up
     * time; a benchmark's, peak speed) and waits until it is ready.
     */
    public static ServiceProcess start(String module, List<String> jvmOptions, String... properties) {
        return start(module, TestDatabase.get(), freePort(), jvmOptions, properties);
    }

    /**
     * Starts the module's service on {@code database} and {@code port} (a restarted replica keeps
     * its address) and waits until it is ready.
     */
    public static ServiceProcess start(
            String module, TestDatabase database, int port, List<String> jvmOptions, String... properties) {
        Path jar = jar(module);
        List<String> options = new ArrayList<>(jvmOptions);
        if (jvmOptions.equals(FAST_START)) {
            Optional<ClassDataArchive> archive = ClassDataArchive.of(
                    jar,
                    (extracted, training) ->
                            command(module, database, 0, concat(jvmOptions, training), extracted, properties));
            if (archive.isPresent()) {
                jar = archive.get().jar();
                options.add(archive.get().option());
            }
        }
        Path log = Path.of("target", module + "-" + port + ".log").toAbsolutePath();
        ProcessBuilder builder = command(module, database, port, options, jar, properties)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.createDirectories(log.getParent());
            Process process = builder.start();
            // A test JVM that ends without closing it (a failure, a fork killed on timeout) leaves no orphan.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, module + "-" + port + "-reaper"));
            ServiceProcess service = new ServiceProcess(module, port, process, log);
            service.awaitReady(Duration.ofSeconds(120));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command that runs {@code jar} as the module's service on {@code database} and {@code port}. */
    private static ProcessBuilder command(
            String module, TestDatabase database, int port, List<String> jvmOptions, Path jar, String... properties) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        TestApiKeys.properties().forEach((key, value) -> command.add("--" + key + "=" + value));
        if (module.equals("scheduler-service")) {
            TestWorkers.schedulerProperties().forEach((key, value) -> command.add("--" + key + "=" + value));
        }
        for (String property : properties) {
            command.add("--" + property);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment()
                .putAll(Map.of(
                        "BATON_DB_URL",
                        database.url(),
                        "BATON_DB_USER",
                        database.user(),
                        "BATON_DB_PASSWORD",
                        database.password() == null ? "" : database.password()));
        return builder;
    }

    /** The java command of this JVM, which services and their training runs are started with. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** The module's jar, from the build's root or from a sibling module. */
    private static Path jar(String module) {
        Path fromRoot = Path.of(module, "target").toAbsolutePath().normalize();
        Path target = Files.isDirectory(fromRoot)
                ? fromRoot
                : Path.of("..", module, "target").toAbsolutePath().normalize();
        try {
            return ServiceJars.find(target)
                    .orElseThrow(() -> new IllegalStateException("No runnable jar in " + target
                            + "; build it first: ./mvnw -DskipTests -pl " + module + " -am package"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port no process listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        boolean ready;
        try {
            ready = ServiceJars.awaitReady(process, module, port, timeout, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!ready) {
            close();
            throw new IllegalStateException(module + " was not ready within " + timeout.toSeconds() + " s; see " + log);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public TestHttp http() {
        return TestHttp.localhost(port);
    }

    /** Kills it at once (SIGKILL): no shutdown, no deregistration, connections dropped. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pauses it (SIGSTOP): it holds its connections and answers nothing until {@link #resume()}. */
    public void pause() {
        signal("STOP");
    }

    /** Resumes it after {@link #pause()} (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops it gracefully (SIGTERM), as Kubernetes does. */
    @Override
    public void close() {
        process.destroy();
        ServiceJars.awaitStop(process, Duration.ofSeconds(30));
    }
}
