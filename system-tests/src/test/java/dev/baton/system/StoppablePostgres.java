package dev.baton.system;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The suite's own PostgreSQL server (embedded), on a fixed port and data folder, so that a
 * scenario can stop it and start it again with its data, as an outage or a restart does.
 */
final class StoppablePostgres implements AutoCloseable {

    private final int port = ServiceProcess.freePort();
    private final Path data;
    private EmbeddedPostgres server;

    StoppablePostgres() {
        try {
            data = Files.createTempDirectory("baton-system-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    synchronized void start() {
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL on port " + port, e);
        }
    }

    /** Stops the server: every connection drops and new ones are refused until {@link #start()}. */
    synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestDatabase database() {
        return TestDatabase.on("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
    }

    /** Stops the server and deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        try (var files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
