package dev.baton.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What running a Baton service from its runnable jar in a child process takes, for the local
 * runner and the tests alike: the jar a module's build made, a wait for the service's readiness
 * probe, and a graceful stop.
 */
public final class ServiceJars {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceJars() {}

    /** The runnable jar ({@code *-exec.jar}) in a module's {@code target} directory, if it has been built. */
    public static Optional<Path> find(Path target) throws IOException {
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst();
        }
    }

    /**
     * Waits until the service's readiness probe on {@code port} answers 200.
     *
     * @return false when {@code timeout} passed first
     * @throws IllegalStateException when the process exited first
     */
    public static boolean awaitReady(Process process, String name, int port, Duration timeout, Path log)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                if (HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYetListening) {
                // Not listening yet: wait and ask again.
            }
            Thread.sleep(200);
        }
        return false;
    }

    /**
     * Waits for a process asked to stop (SIGTERM) to end, and kills it when it has not within
     * {@code timeout}, or when the wait is interrupted.
     *
     * @return whether it ended by itself
     */
    public static boolean awaitStop(Process process, Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return false;
    }
}
