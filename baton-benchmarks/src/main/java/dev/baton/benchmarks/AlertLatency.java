package dev.baton.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Alert latency: from an execution's final failure, as the scheduler records it ({@code
 * finished_at}), to the arrival of its FAILED alert at a webhook receiver, a real HTTP server in
 * this harness. A job whose target always answers 500, with no retry and a webhook channel,
 * fails {@code BENCH_ALERTS} (200) executions falling due at {@code BENCH_ALERT_RATE} (20) per
 * second: all but one added straight into the database, as the scheduler benchmark's are, and the
 * trigger through the API that announces them.
 */
final class AlertLatency {

    private static final Pattern EXECUTION_ID = Pattern.compile("\"execution\":\\{\"id\":(\\d+)");

    private final int alerts = Harness.intEnv("BENCH_ALERTS", 200);
    private final int rate = Harness.intEnv("BENCH_ALERT_RATE", 20);
    private final Map<Long, Instant> arrivals = new ConcurrentHashMap<>();

    /** Fails the executions through {@code scheduler}, waits for their alerts and prints the latency's percentiles. */
    void measure(TestDatabase database, ServiceProcess scheduler, String label) throws Exception {
        HttpServer server = server();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            UUID job = createJob(scheduler, url);
            Instant first = Instant.now().plusSeconds(2);
            insert(database, job, first);
            Harness.send("POST", scheduler.url() + "/api/v1/jobs/" + job + "/trigger", null);
            long deadline =
                    System.nanoTime() + Duration.ofSeconds(alerts / rate + 60).toNanos();
            while (arrivals.size() < alerts && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Histogram latency = latency(database, job);
            System.out.printf(
                    "  %s, alert latency, final failure to the webhook's arrival (%d failures at %d/s): p50 %d ms, "
                            + "p99 %d ms, max %d ms (%d of %d alerts arrived)%n",
                    label,
                    alerts,
                    rate,
                    latency.getValueAtPercentile(50),
                    latency.getValueAtPercentile(99),
                    latency.getMaxValue(),
                    latency.getTotalCount(),
                    alerts);
        } finally {
            server.stop(0);
        }
    }

    /** The failing target at {@code /fail}, and the webhook receiver at {@code /alerts}. */
    private HttpServer server() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/fail", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(500, -1);
            }
        });
        server.createContext("/alerts", exchange -> {
            try (exchange) {
                Instant at = Instant.now();
                String alert =
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).replace(" ", "");
                Matcher execution = EXECUTION_ID.matcher(alert);
                if (alert.contains("\"event\":\"FAILED\"") && execution.find()) {
                    arrivals.putIfAbsent(Long.parseLong(execution.group(1)), at);
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return server;
    }

    private UUID createJob(ServiceProcess scheduler, String url) throws IOException {
        String job = Harness.send("POST", scheduler.url() + "/api/v1/jobs", """
                {"name": "bench-alerts-%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"url": "%s/fail"},
                 "alerts": [{"type": "WEBHOOK", "url": "%s/alerts"}],
                 "alertPolicy": {"consecutiveFailures": 1000, "maxPerHour": 10000}}""".formatted(UUID.randomUUID(), url, url));
        int start = job.indexOf("\"id\":\"") + 6;
        return UUID.fromString(job.substring(start, job.indexOf('"', start)));
    }

    private void insert(TestDatabase database, UUID job, Instant first) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement("""
                insert into scheduler.execution (job_id, scheduled_at, trigger, status, due_at)
                select ?, t, 'MANUAL', 'PENDING', t
                  from (select ?::timestamptz + n * ?::interval as t from generate_series(0, ? - 1) as n) as times""")) {
            insert.setObject(1, job);
            insert.setObject(2, first.atOffset(ZoneOffset.UTC));
            insert.setString(3, 1_000_000 / rate + " microseconds");
            insert.setInt(4, alerts - 1);
            insert.executeUpdate();
        }
    }

    /** Each arrival minus its execution's recorded end, in milliseconds. */
    private Histogram latency(TestDatabase database, UUID job) throws SQLException {
        Histogram latency = Harness.histogram();
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "select id, finished_at from scheduler.execution where job_id = ? and status = 'FAILED'")) {
            query.setObject(1, job);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Instant arrived = arrivals.get(rs.getLong("id"));
                    if (arrived != null) {
                        Instant failed = rs.getObject("finished_at", OffsetDateTime.class)
                                .toInstant();
                        latency.recordValue(
                                Math.max(0, Duration.between(failed, arrived).toMillis()));
                    }
                }
            }
        }
        return latency;
    }
}
