package dev.baton.system;

import dev.baton.client.fencing.FencedWrites;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Lock safety under faults. Clients take leases on a few lock names through the gateway and
 * write, with their fencing token, to a guarded resource in PostgreSQL; meanwhile a lock-service
 * replica is killed and started again, the other is paused (SIGSTOP) past the lease TTL and
 * resumed, the services' database connections are terminated, and clients pause past their TTL
 * before writing. The checker reads the whole history afterwards: the resource never accepted a
 * token lower than one it had accepted; no lease was granted while another holder's was still
 * valid; every lease a client was told it holds had a unique token, increasing in grant order.
 */
class LockSafetyIT {

    private static final Duration RUN = Cluster.soak() ? Duration.ofMinutes(5) : Duration.ofSeconds(40);
    private static final int CLIENTS = 8;
    private static final long TTL_MS = 2000;
    /** Fewer leases than this in a run means the clients, not the lock, failed: a run that checks nothing. */
    private static final int MIN_LEASES = 100;

    private static final String CHECKER = "baton-system-checker";

    private final Cluster cluster = Cluster.get();
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    /**
     * A lease a client was told it holds.
     *
     * @param releaseStartedAt when its holder started to release it. The lease was valid at least until then,
     *     or until its expiry if that came first (a holder paused past its TTL), whatever the release answered:
     *     a 5xx or no answer may follow a release that took effect, and so may a 410, since the gateway repeats
     *     on another replica a release cut off in flight, and the repeat of a release that took effect answers
     *     410
     */
    record Held(
            String name, long token, String client, Instant grantedAt, Instant expiresAt, Instant releaseStartedAt) {

        /** The lease was certainly valid until then. */
        Instant validAtLeastUntil() {
            return releaseStartedAt.isBefore(expiresAt) ? releaseStartedAt : expiresAt;
        }
    }

    private final Queue<Held> history = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger staleRefused = new AtomicInteger();
    private final AtomicInteger notGranted = new AtomicInteger();
    private final Queue<String> unclear = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    private Connection checkerConnection() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.database().user());
        properties.setProperty("password", cluster.database().password());
        properties.setProperty("ApplicationName", CHECKER);
        return DriverManager.getConnection(cluster.database().url(), properties);
    }

    private void client(int index) {
        String client = "client-" + index;
        TestHttp http = cluster.http();
        try (Connection resource = checkerConnection()) {
            resource.setAutoCommit(false);
            while (running) {
                String name =
                        "safety-" + run + "-" + ThreadLocalRandom.current().nextInt(3);
                TestHttp.Response granted;
                try {
                    granted = http.send(
                            "POST",
                            "/api/v1/locks/" + name + "/leases",
                            TestApiKeys.WRITE,
                            "{\"owner\":\"" + client + "\",\"ttlMs\":" + TTL_MS + ",\"waitMs\":3000}");
                } catch (RuntimeException e) {
                    notGranted.incrementAndGet();
                    continue;
                }
                if (granted.status() != 201) {
                    notGranted.incrementAndGet();
                    bare(granted, "acquire");
                    continue;
                }
                JsonNode lease = granted.json();
                long token = lease.path("token").asLong();
                boolean pause = ThreadLocalRandom.current().nextInt(20) == 0;
                if (pause) {
                    Thread.sleep(TTL_MS + 1000);
                }
                write(resource, name, token, client, pause);
                Instant releaseStartedAt = Instant.now();
                try {
                    bare(
                            http.send(
                                    "DELETE",
                                    "/api/v1/locks/" + name + "/leases/"
                                            + lease.path("leaseId").asString(),
                                    TestApiKeys.WRITE,
                                    null),
                            "release");
                } catch (RuntimeException e) {
                    // no answer: the lease was valid at least until the release started, as after any answer
                }
                history.add(new Held(
                        name,
                        token,
                        client,
                        Instant.parse(lease.path("grantedAt").asString()),
                        Instant.parse(lease.path("expiresAt").asString()),
                        releaseStartedAt));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Notes an answer that is no clear one: a failure must be a problem with a status that says
     * what happened (502, 503, 504), never a bare 500.
     */
    private void bare(TestHttp.Response response, String call) {
        if (response.status() >= 500 && (response.status() == 500 || !response.isProblem())) {
            unclear.add(call + " answered " + response.status() + " " + response.contentType() + " " + response.body());
        }
    }

    /**
     * A fenced write: admitted only if no higher token was admitted before. Every attempt is
     * logged, an admitted one in the write's own transaction, a refused one after its rollback.
     */
    private void write(Connection resource, String name, long token, String client, boolean paused)
            throws SQLException {
        boolean admitted = FencedWrites.admit(resource, name, token);
        if (!admitted) {
            resource.rollback();
        }
        try (PreparedStatement log = resource.prepareStatement(
                "insert into guarded_log (resource, token, client, admitted) values (?, ?, ?, ?)")) {
            log.setString(1, name);
            log.setLong(2, token);
            log.setString(3, client);
            log.setBoolean(4, admitted);
            log.executeUpdate();
        }
        resource.commit();
        if (admitted) {
            writes.incrementAndGet();
        } else if (paused) {
            staleRefused.incrementAndGet();
        }
    }

    private int terminateServiceConnections() throws SQLException {
        try (Connection connection = checkerConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                        + "where datname = current_database() and pid <> pg_backend_pid() "
                        + "and application_name <> '" + CHECKER + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void no_two_holders_and_no_stale_write_under_faults() throws Exception {
        Report report = new Report("lock safety");
        try (Connection connection = checkerConnection();
                Statement statement = connection.createStatement()) {
            FencedWrites.createTable(connection);
            statement.execute("create table if not exists guarded_log (id bigserial primary key, resource text, "
                    + "token bigint, client text, admitted boolean not null default true)");
        }
        List<Thread> clients = new ArrayList<>();
        Queue<String> died = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < CLIENTS; i++) {
            int index = i;
            Thread thread = new Thread(() -> client(index), "safety-client-" + i);
            thread.setUncaughtExceptionHandler((dead, error) -> died.add(dead.getName() + ": " + error));
            thread.start();
            clients.add(thread);
        }
        long end = System.nanoTime() + RUN.toNanos();
        int round = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(3000);
            switch (round++ % 3) {
                case 0:
                    cluster.restartLock(0);
                    report.did("fault: SIGKILL to lock-service replica 0, started again");
                    break;
                case 1:
                    ServiceProcess paused = cluster.locks.get(1);
                    paused.pause();
                    Thread.sleep(TTL_MS + 2000);
                    paused.resume();
                    report.did(
                            "fault: lock-service replica 1 paused (SIGSTOP) for %d ms, past the TTL, and resumed",
                            TTL_MS + 2000);
                    break;
                default:
                    report.did("fault: %d service connections terminated in PostgreSQL", terminateServiceConnections());
            }
        }
        running = false;
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(30).toMillis());
        }
        report.did(
                "%d leases held, %d not granted or failed, %d fenced writes admitted, %d writes after a pause "
                        + "past the TTL refused",
                history.size(), notGranted.get(), writes.get(), staleRefused.get());
        report.check(died.isEmpty(), "no client died: %s", died);
        report.check(unclear.isEmpty(), "every failure under the faults was a 502, 503 or 504 problem: %s", unclear);
        report.check(clients.stream().noneMatch(Thread::isAlive), "every client stopped when told");
        Map<String, Long> perClient = new HashMap<>();
        history.forEach(held -> perClient.merge(held.client(), 1L, Long::sum));
        report.check(
                history.size() >= MIN_LEASES && perClient.size() == CLIENTS,
                "at least %d leases were held, by every one of the %d clients: %s",
                MIN_LEASES,
                CLIENTS,
                perClient);

        checkFence(report);
        checkLeases(report);
        report.end();
    }

    /**
     * The fence, judged from the log of every write attempt in the order the resource saw them:
     * an admitted token was never lower than one admitted before, and a refused one always was.
     */
    private void checkFence(Report report) throws SQLException {
        Map<String, Long> highest = new HashMap<>();
        int accepted = 0;
        int refused = 0;
        try (Connection connection = checkerConnection();
                Statement statement = connection.createStatement();
                ResultSet rs =
                        statement.executeQuery("select resource, token, admitted from guarded_log order by id")) {
            while (rs.next()) {
                String resource = rs.getString(1);
                long token = rs.getLong(2);
                long previous = highest.getOrDefault(resource, Long.MIN_VALUE);
                if (rs.getBoolean(3)) {
                    accepted++;
                    if (token < previous) {
                        report.violation("%s accepted token %d after %d", resource, token, previous);
                    }
                    highest.merge(resource, token, Math::max);
                } else {
                    refused++;
                    if (token >= previous) {
                        report.violation(
                                "%s refused token %d though the highest admitted was %d", resource, token, previous);
                    }
                }
            }
        }
        report.check(
                accepted > 0 && accepted == writes.get(),
                "%d writes admitted, as the clients counted %d",
                accepted,
                writes.get());
        report.did(
                "checked: %d accepted writes never below a token accepted before, %d refused writes each below one",
                accepted, refused);
    }

    /** Per name, in grant order: tokens unique and increasing, and each grant after the previous lease ended. */
    private void checkLeases(Report report) {
        Map<String, List<Held>> byName = new HashMap<>();
        history.forEach(held ->
                byName.computeIfAbsent(held.name(), name -> new ArrayList<>()).add(held));
        Set<String> tokens = new HashSet<>();
        int overlaps = 0;
        for (List<Held> leases : byName.values()) {
            leases.sort(Comparator.comparing(Held::grantedAt).thenComparingLong(Held::token));
            for (int i = 0; i < leases.size(); i++) {
                Held lease = leases.get(i);
                if (!tokens.add(lease.name() + "#" + lease.token())) {
                    report.violation("token %d of %s was given twice", lease.token(), lease.name());
                }
                if (i > 0) {
                    Held before = leases.get(i - 1);
                    if (lease.token() <= before.token()) {
                        report.violation(
                                "%s: token %d granted at %s after token %d granted at %s",
                                lease.name(), lease.token(), lease.grantedAt(), before.token(), before.grantedAt());
                    }
                    if (lease.grantedAt().isBefore(before.validAtLeastUntil())) {
                        overlaps++;
                        report.violation(
                                "%s: %s was granted token %d at %s while %s's lease %d was valid until %s",
                                lease.name(),
                                lease.client(),
                                lease.token(),
                                lease.grantedAt(),
                                before.client(),
                                before.token(),
                                before.validAtLeastUntil());
                    }
                }
            }
        }
        report.did(
                "checked: %d leases on %d names, tokens unique and increasing in grant order, %d overlaps",
                history.size(), byName.size(), overlaps);
    }
}
