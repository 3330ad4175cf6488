package dev.baton.system;

import dev.baton.test.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A pg_auto_failover formation on loopback: a monitor and two PostgreSQL nodes with synchronous
 * replication, each run by {@code pg_autoctl} in a temporary directory, as the {@code postgres}
 * user when the test runs as root (pg_autoctl refuses root). The monitor's health checks are
 * shortened so that a dead primary is replaced within seconds instead of about a minute.
 */
final class AutoFailoverFormation implements AutoCloseable {

    static final Path PG_AUTOCTL = Path.of("/usr/bin/pg_autoctl");
    static final Path POSTGRES_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private static final String DATABASE = "baton";

    private final Path root;
    private final int monitorPort = ServiceProcess.freePort();
    private final Map<String, Integer> nodePorts = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    /** Whether this machine has pg_autoctl and the PostgreSQL 15 server it drives. */
    static boolean installed() {
        return Files.isExecutable(PG_AUTOCTL) && Files.isExecutable(POSTGRES_BIN.resolve("pg_ctl"));
    }

    AutoFailoverFormation() {
        try {
            root = Files.createTempDirectory("baton-pg-auto-failover");
            if (asRoot()) {
                UserPrincipal postgres =
                        root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(root, postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nodePorts.put("node1", ServiceProcess.freePort());
        nodePorts.put("node2", ServiceProcess.freePort());
    }

    /** Creates and runs the monitor, then node1 (the first primary), then node2 as its synchronous standby. */
    void start() throws Exception {
        run(
                "monitor",
                "create",
                "monitor",
                "--pgdata",
                root.resolve("monitor").toString(),
                "--pgport",
                String.valueOf(monitorPort),
                "--hostname",
                "127.0.0.1",
                "--auth",
                "trust",
                "--no-ssl",
                "--run");
        await(
                Duration.ofSeconds(30),
                () -> query(monitorPort, "pg_auto_failover", "select 1") != null,
                "the monitor to accept connections");
        for (String setting : List.of(
                "health_check_period = 1000",
                "health_check_timeout = 1000",
                "health_check_max_retries = 1",
                "health_check_retry_delay = 500",
                "node_considered_unhealthy_timeout = 3000",
                "primary_demote_timeout = 3000")) {
            execute(monitorPort, "pg_auto_failover", "alter system set pgautofailover." + setting);
        }
        execute(monitorPort, "pg_auto_failover", "select pg_reload_conf()");
        startNode("node1");
        await(Duration.ofSeconds(30), () -> "single".equals(state("node1")), "node1 to run alone");
        startNode("node2");
        // pg_basebackup waits for a spread checkpoint on the primary; an immediate one ends it at once.
        await(
                Duration.ofSeconds(60),
                () -> {
                    query(nodePorts.get("node1"), DATABASE, "checkpoint");
                    return "primary".equals(state("node1")) && "secondary".equals(state("node2"));
                },
                "node1 to be primary and node2 its secondary");
    }

    private void startNode(String name) {
        run(
                name,
                "create",
                "postgres",
                "--pgdata",
                root.resolve(name).toString(),
                "--pgport",
                String.valueOf(nodePorts.get(name)),
                "--hostname",
                "127.0.0.1",
                "--name",
                name,
                "--auth",
                "trust",
                "--no-ssl",
                "--dbname",
                DATABASE,
                "--monitor",
                "postgres://autoctl_node@127.0.0.1:" + monitorPort + "/pg_auto_failover?sslmode=disable",
                "--run");
    }

    /** The URL the services use: both nodes, and the driver picks the one that accepts writes. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + nodePorts.get("node1") + ",127.0.0.1:" + nodePorts.get("node2") + "/"
                + DATABASE + "?targetServerType=primary";
    }

    /** A node's own URL, for a test that points at one node only. */
    String jdbcUrl(String node) {
        return "jdbc:postgresql://127.0.0.1:" + nodePorts.get(node) + "/" + DATABASE;
    }

    /** The state the node last reported to the monitor, or null. */
    String state(String node) {
        return query(
                monitorPort,
                "pg_auto_failover",
                "select reportedstate from pgautofailover.node where nodename = '" + node + "'");
    }

    String setting(String node, String name) {
        return query(nodePorts.get(node), DATABASE, "select current_setting('" + name + "')");
    }

    /** Whether the node is a primary that takes writes (pg_auto_failover keeps a promoted node read-only until wait_primary). */
    boolean writable(String node) {
        return "off"
                .equals(
                        query(
                                nodePorts.get(node),
                                DATABASE,
                                "select case when pg_is_in_recovery() then 'recovery' else current_setting('default_transaction_read_only') end"));
    }

    /** SIGKILL to the node's pg_autoctl processes and its PostgreSQL: the machine's power cut, as the standby sees it. */
    void kill(String node) {
        Process process = processes.get(node);
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(handle -> handle.onExit().join());
    }

    @Override
    public void close() {
        processes.keySet().forEach(this::kill);
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String name, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(
                "env",
                "PATH=" + POSTGRES_BIN + ":/usr/bin:/bin",
                "HOME=" + root,
                "XDG_CONFIG_HOME=" + root.resolve("config"),
                "XDG_DATA_HOME=" + root.resolve("share"),
                PG_AUTOCTL.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolve(name + ".log").toFile())
                    .start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                process.descendants().forEach(ProcessHandle::destroyForcibly);
                                process.destroyForcibly();
                            },
                            "stop-" + name));
            processes.put(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log(String name) {
        return root.resolve(name + ".log");
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** One value, or null when the server does not answer. */
    private static String query(int port, String database, String sql) {
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?connectTimeout=2&socketTimeout=5",
                        "postgres",
                        "");
                Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                return "";
            }
            try (ResultSet result = statement.getResultSet()) {
                return result.next() ? result.getString(1) : null;
            }
        } catch (SQLException unavailable) {
            return null;
        }
    }

    private static void execute(int port, String database, String sql) {
        if (query(port, database, sql) == null) {
            throw new IllegalStateException("Could not run '" + sql + "' on port " + port);
        }
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(250);
        }
    }
}
