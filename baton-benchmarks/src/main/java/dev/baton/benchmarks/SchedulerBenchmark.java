package dev.baton.benchmarks;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Measures the scheduler with its replicas in their own processes on a real PostgreSQL, calling
 * a no-op worker (an HTTP server in this harness, registered with a registry process):
 * executions dispatched per second by one and by two replicas, each against its baseline, the
 * harness calling the worker itself with as many calls in flight (what the worker and the
 * machine sustain without a scheduler); and fire lateness, the worker's arrival time minus the
 * scheduled time, at a steady rate of executions falling due.
 *
 * <p>Executions are added as a job's manual triggers would be, straight into the database in bulk, so
 * that adding them costs the scheduler nothing while it is measured. Settings (environment):
 * {@code BENCH_EXECUTIONS} (20000), {@code BENCH_WARMUP_EXECUTIONS} (20000), {@code BENCH_RATES}
 * (100,1000), {@code BENCH_SECONDS} (10), {@code BENCH_IN_FLIGHT} (256).
 */
final class SchedulerBenchmark {

    private final int executions = Harness.intEnv("BENCH_EXECUTIONS", 20_000);
    private final int warmupExecutions = Harness.intEnv("BENCH_WARMUP_EXECUTIONS", 20_000);
    private final int seconds = Harness.intEnv("BENCH_SECONDS", 10);
    private final int inFlight = Harness.intEnv("BENCH_IN_FLIGHT", 256);
    private final String rates = System.getenv().getOrDefault("BENCH_RATES", "100,1000");
    private final ConcurrentHistogram lateness = new ConcurrentHistogram(3);
    private volatile boolean recordLateness;
    private UUID jobId;

    void run() throws Exception {
        TestDatabase database = TestDatabase.get();
        System.out.printf(
                "Scheduler benchmark: %d executions per throughput run after %d warm-up ones, lateness at "
                        + "%s/s for %d s, on %s%n",
                executions, warmupExecutions, rates, seconds, database.url());
        try (BenchWorker worker = BenchWorker.start(8, this::answered);
                SchedulerSuite suite = SchedulerSuite.start(worker.port())) {
            System.out.println("Starting a scheduler replica in its own process (a second one joins later)...");
            try (ServiceProcess first = suite.startScheduler()) {
                jobId = UUID.fromString(createJob(first));
                System.out.printf("  warm-up: %d executions...%n", warmupExecutions);
                backlog(database, warmupExecutions, first);
                double baseline = baseline(worker.port());
                double one = backlog(database, executions, first);
                System.out.printf(
                        "  one replica: %,.0f executions/s, %.0f%% of the direct calls' %,.0f/s%n",
                        one, 100 * one / baseline, baseline);
                for (String rate : rates.split(",")) {
                    lateness(database, Integer.parseInt(rate.trim()), first, "one replica");
                }
                new AlertLatency().measure(database, first, "one replica");
                System.out.println("Starting a second scheduler replica...");
                try (ServiceProcess second = suite.startScheduler()) {
                    backlog(database, warmupExecutions, first);
                    double two = backlog(database, executions, first);
                    System.out.printf(
                            "  two replicas: %,.0f executions/s, %.0f%% of the direct calls' %,.0f/s%n",
                            two, 100 * two / baseline, baseline);
                    for (String rate : rates.split(",")) {
                        lateness(database, Integer.parseInt(rate.trim()), first, "two replicas");
                    }
                }
            }
        }
    }

    /** Notes how late each call came while lateness is measured. */
    private void answered(BenchWorker.Call call) {
        if (recordLateness) {
            Instant scheduled = Instant.parse(call.headers().getFirst("X-Baton-Scheduled-At"));
            lateness.recordValue(
                    Math.max(0, Duration.between(scheduled, call.arrivedAt()).toMillis()));
        }
    }

    private String createJob(ServiceProcess scheduler) throws IOException {
        String job = Harness.send("POST", scheduler.url() + "/api/v1/jobs", """
                {"name": "bench-%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/noop"}, "routing": "ROUND_ROBIN"}""".formatted(
                        UUID.randomUUID(), SchedulerSuite.WORKER_SERVICE));
        int start = job.indexOf("\"id\":\"") + 6;
        return job.substring(start, job.indexOf('"', start));
    }

    /** Adds {@code count} executions due now and waits until all have succeeded; returns executions per second. */
    private double backlog(TestDatabase database, int count, ServiceProcess scheduler) throws Exception {
        Instant now = Instant.now();
        long before = finished(database);
        insert(database, now.minusMillis(count), count, Duration.ofMillis(1));
        long start = System.nanoTime();
        Harness.send("POST", scheduler.url() + "/api/v1/jobs/" + jobId + "/trigger", null);
        while (finished(database) < before + count + 1) {
            Thread.sleep(20);
        }
        double rate = count / ((System.nanoTime() - start) / 1e9);
        reportFailures(database);
        return rate;
    }

    private void reportFailures(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from scheduler.execution where job_id = ? and status <> 'SUCCEEDED' "
                                + "and finished_at is not null")) {
            query.setObject(1, jobId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    System.out.printf("  (%d executions of the run failed so far)%n", rs.getLong(1));
                }
            }
        }
    }

    /** The worker called directly with {@code BENCH_IN_FLIGHT} calls in flight; returns calls per second. */
    private double baseline(int port) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore room = new Semaphore(inFlight);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/noop"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("X-Baton-Execution-Id", "0")
                .build();
        long start = System.nanoTime();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < executions; i++) {
            room.acquire();
            sent.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> room.release()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        double rate = executions / ((System.nanoTime() - start) / 1e9);
        System.out.printf("  baseline, the worker called directly: %,.0f calls/s%n", rate);
        return rate;
    }

    /** Executions falling due at {@code rate} per second for the phase; prints the lateness percentiles. */
    private void lateness(TestDatabase database, int rate, ServiceProcess scheduler, String label) throws Exception {
        int count = rate * seconds;
        Instant first = Instant.now().plusSeconds(2);
        long before = finished(database);
        insert(database, first, count, Duration.ofNanos(1_000_000_000L / rate));
        Harness.send("POST", scheduler.url() + "/api/v1/jobs/" + jobId + "/trigger", null);
        Thread.sleep(Duration.between(Instant.now(), first).toMillis());
        lateness.reset();
        recordLateness = true;
        while (finished(database) < before + count + 1) {
            Thread.sleep(50);
        }
        recordLateness = false;
        Histogram copy = lateness.copy();
        System.out.printf(
                "  %s, %,d executions due per second: lateness p50 %d ms, p99 %d ms, max %d ms (%d calls)%n",
                label,
                rate,
                copy.getValueAtPercentile(50),
                copy.getValueAtPercentile(99),
                copy.getMaxValue(),
                copy.getTotalCount());
    }

    private void insert(TestDatabase database, Instant first, int count, Duration spacing) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement insert = connection.prepareStatement("""
                insert into scheduler.execution (job_id, scheduled_at, trigger, status, due_at)
                select ?, t, 'MANUAL', 'PENDING', t
                  from (select ?::timestamptz + n * ?::interval as t from generate_series(0, ? - 1) as n) as times""")) {
            insert.setObject(1, jobId);
            insert.setObject(2, first.atOffset(ZoneOffset.UTC));
            insert.setString(3, spacing.toNanos() / 1000 + " microseconds");
            insert.setInt(4, count);
            insert.executeUpdate();
        }
    }

    /** The executions of the job that are final; a failed one is counted, and reported as failed. */
    private long finished(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from scheduler.execution where job_id = ? and finished_at is not null")) {
            query.setObject(1, jobId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
