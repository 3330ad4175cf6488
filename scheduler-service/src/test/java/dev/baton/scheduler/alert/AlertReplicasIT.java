package dev.baton.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.TestWorker;
import dev.baton.scheduler.TwoReplicas;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two scheduler replicas, each its own process on one database, deliver every alert once between them. */
class AlertReplicasIT {

    private static final int JOBS = 300;

    private static TwoReplicas replicas;
    private static TestWorker worker;
    private static AlertReceiver receiver;

    @BeforeAll
    static void start() {
        replicas = TwoReplicas.get();
        worker = TestWorker.start(
                replicas.registry().url(), "alert-it-worker", "w1", call -> new TestWorker.Reply(500, "\"failing\""));
        receiver = new AlertReceiver();
        receiver.answer(request -> {
            TestWorker.pause(5);
            return new AlertReceiver.Answer(200, "ok");
        });
    }

    @AfterAll
    static void stop() {
        receiver.close();
        worker.close();
    }

    @Test
    void two_replicas_deliver_every_alert_exactly_once() throws Exception {
        ServiceProcess a = replicas.a();
        ServiceProcess b = replicas.b();
        double sentBeforeA = sent(a);
        double sentBeforeB = sent(b);
        String prefix = "alerted-" + System.nanoTime() + "-";
        Instant at = Instant.now().plusSeconds(3);
        for (int i = 0; i < JOBS; i++) {
            var response = (i % 2 == 0 ? a : b).http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                    {"name": "%s%d", "schedule": {"type": "ONCE", "at": "%s"},
                     "target": {"service": "alert-it-worker", "path": "/run"},
                     "alerts": [{"type": "WEBHOOK", "url": "%s"}]}""".formatted(
                            prefix, i, at.plusMillis(i * 3L), receiver.url("/hook")));
            assertThat(response.status()).as(response.body()).isEqualTo(201);
        }

        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> count("select count(*) from scheduler.alert a join scheduler.job j on j.id = a.job_id "
                                + "where j.name like '" + prefix + "%' and a.status = 'SENT'")
                        == JOBS);
        Thread.sleep(1000);

        Map<Long, Integer> received = new HashMap<>();
        Pattern execution = Pattern.compile("\"execution\": \\{\"id\": (\\d+)");
        for (AlertReceiver.Request request : receiver.requests()) {
            Matcher matcher = execution.matcher(request.text());
            assertThat(matcher.find()).as(request.text()).isTrue();
            received.merge(Long.parseLong(matcher.group(1)), 1, Integer::sum);
        }
        assertThat(received).hasSize(JOBS);
        assertThat(received.values()).as("deliveries per alert").containsOnly(1);
        assertThat(count("select count(*) from scheduler.alert a join scheduler.job j on j.id = a.job_id "
                        + "where j.name like '" + prefix + "%' and a.attempts <> 1"))
                .isZero();
        double sentByA = sent(a) - sentBeforeA;
        double sentByB = sent(b) - sentBeforeB;
        assertThat(sentByA).as("replica a delivered").isPositive();
        assertThat(sentByB).as("replica b delivered").isPositive();
        assertThat(sentByA + sentByB).isEqualTo(JOBS);
    }

    private static long count(String sql) throws SQLException {
        try (Connection connection = TestDatabase.get().connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double sent(ServiceProcess replica) {
        return replica.http()
                .get("/actuator/prometheus", TestApiKeys.READ)
                .body()
                .lines()
                .filter(line ->
                        line.startsWith("baton_scheduler_alerts_deliveries_total") && line.contains("outcome=\"SENT\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
