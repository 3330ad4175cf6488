package dev.baton.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler replicas, each its own process, on one database, calling one real HTTP worker:
 * one-shot executions run exactly once as recorded, and survive a replica killed mid-run. The
 * replicas ({@link TwoReplicas}) serve the JVM's other tests of replicas too.
 */
class ReplicasIT {

    /** Executions per scenario: enough for both replicas to claim thousands each; {@code -Dbaton.it.executions} for more. */
    private static final int EXECUTIONS = Integer.getInteger("baton.it.executions", 5_000);

    private static TestWorker worker;
    private static TwoReplicas replicas;

    @BeforeAll
    static void start() {
        replicas = TwoReplicas.get();
        worker = TestWorker.start(replicas.registry().url(), "it-worker", "w1");
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    /**
     * Creates one-shot jobs through the replicas in turn, due from two seconds on, spread over
     * {@code spreadMillis}; returns their name prefix.
     */
    private static String createOneShotJobs(int count, long spreadMillis, ServiceProcess... replicas) throws Exception {
        String prefix = "once-" + System.nanoTime() + "-";
        Instant at = Instant.now().plusSeconds(2);
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        var response = replicas[i % replicas.length]
                                .http()
                                .send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                                        {"name": "%s%d", "schedule": {"type": "ONCE", "at": "%s"},
                                         "target": {"service": "it-worker", "path": "/run"}}""".formatted(
                                                prefix, i, at.plusMillis(i * spreadMillis / count)));
                        assertThat(response.status()).as(response.body()).isEqualTo(201);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            clients.shutdown();
        }
        return prefix;
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = TestDatabase.get().connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Each execution's id and latest attempt, of the jobs named with the prefix. */
    private static Map<Long, Integer> attempts(String prefix) throws SQLException {
        Map<Long, Integer> attempts = new HashMap<>();
        try (Connection connection = TestDatabase.get().connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select e.id, e.attempt from scheduler.execution e "
                        + "join scheduler.job j on j.id = e.job_id where j.name like '" + prefix + "%'")) {
            while (rs.next()) {
                attempts.put(rs.getLong(1), rs.getInt(2));
            }
        }
        return attempts;
    }

    private static void awaitAllSucceeded(String prefix, int count) {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> count("select count(*) from scheduler.execution e join scheduler.job j on j.id = e.job_id "
                                + "where j.name like '" + prefix + "%' and e.status = 'SUCCEEDED'")
                        == count);
    }

    /**
     * Every execution completed once as recorded, and the worker saw each one's final attempt: a
     * call it saw twice is only ever two attempts of one execution.
     */
    private static void checkExactlyOnce(String prefix, int count) throws SQLException {
        Map<Long, Integer> attempts = attempts(prefix);
        assertThat(attempts).hasSize(count);
        assertThat(count("select count(*) from scheduler.execution e join scheduler.job j on j.id = e.job_id "
                        + "where j.name like '" + prefix + "%' and e.status <> 'SUCCEEDED'"))
                .isZero();
        assertThat(count("select count(*) from scheduler.execution_attempt a join scheduler.execution e "
                        + "on e.id = a.execution_id join scheduler.job j on j.id = e.job_id where j.name like '"
                        + prefix
                        + "%' and a.status = 'SUCCEEDED'"))
                .as("succeeded calls recorded")
                .isEqualTo(count);
        Set<String> seen = new HashSet<>();
        Set<Long> called = new HashSet<>();
        for (TestWorker.Call call : worker.calls()) {
            if (attempts.containsKey(call.executionId())) {
                assertThat(seen.add(call.executionId() + "/" + call.attempt()))
                        .as("one call per attempt")
                        .isTrue();
                if (call.attempt() == attempts.get(call.executionId())) {
                    called.add(call.executionId());
                }
            }
        }
        assertThat(called).as("the worker saw every execution's final attempt").hasSize(count);
    }

    @Test
    void two_replicas_run_every_one_shot_execution_exactly_once() throws Exception {
        ServiceProcess a = replicas.a();
        ServiceProcess b = replicas.b();
        double beforeA = dispatched(a);
        double beforeB = dispatched(b);
        String prefix = createOneShotJobs(EXECUTIONS, 1000, a, b);

        awaitAllSucceeded(prefix, EXECUTIONS);

        checkExactlyOnce(prefix, EXECUTIONS);
        assertThat(dispatched(a)).as("replica a dispatched").isGreaterThan(beforeA);
        assertThat(dispatched(b)).as("replica b dispatched").isGreaterThan(beforeB);
    }

    @Test
    void the_executions_of_a_replica_killed_mid_run_are_recovered_and_finish() throws Exception {
        worker.answerAfter(500, "\"slow\"");
        try {
            int count = 1_000;
            ServiceProcess b = replicas.b();
            double before = dispatched(b);
            String prefix = createOneShotJobs(count, 5_000, replicas.a());
            await().atMost(Duration.ofMinutes(1)).until(() -> dispatched(b) > before + 100);

            b.kill();
            awaitAllSucceeded(prefix, count);

            checkExactlyOnce(prefix, count);
            assertThat(attempts(prefix).values())
                    .as("some executions were recovered from the killed replica")
                    .anyMatch(attempt -> attempt > 1);
        } finally {
            worker.answer(call -> TestWorker.Reply.ok("\"ok\""));
        }
    }

    private static double dispatched(ServiceProcess replica) {
        String metrics =
                replica.http().get("/actuator/prometheus", TestApiKeys.READ).body();
        return metrics.lines()
                .filter(line -> line.startsWith("baton_scheduler_executions_dispatched_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
