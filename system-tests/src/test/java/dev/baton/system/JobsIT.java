package dev.baton.system;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * No job lost or doubled: one-shot and cron jobs created through the gateway run on a worker built
 * with the worker SDK while a scheduler replica is killed and started again. Every execution
 * completes once as recorded, each cron job runs once for every second it is enabled, the
 * executions run again are exactly those the killed replica held, the worker saw every execution's
 * succeeded attempt, and what it saw twice is only two attempts of one execution. Every wait has a
 * deadline.
 */
class JobsIT {

    private static final int ONE_SHOTS = Cluster.soak() ? 20_000 : 2_000;
    private static final int CRON_JOBS = 5;

    private final Cluster cluster = Cluster.get();
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    private String create(String json) {
        TestHttp.Response response = cluster.http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, json);
        if (response.status() != 201) {
            throw new AssertionError("creating a job answered " + response.status() + ": " + response.body());
        }
        return response.json().path("id").asString();
    }

    private List<String> createOneShots(Instant from) throws Exception {
        List<String> ids = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> created = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                created.add(clients.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < ONE_SHOTS; i = next.getAndIncrement()) {
                        mine.add(create("""
                                {"name": "once-%s-%d", "schedule": {"type": "ONCE", "at": "%s"},
                                 "target": {"service": "system-worker", "path": "/baton/tasks/record"}}""".formatted(run, i, from.plusMillis(i * 10_000L / ONE_SHOTS))));
                    }
                    return mine;
                }));
            }
            for (Future<List<String>> future : created) {
                ids.addAll(future.get());
            }
        } finally {
            clients.shutdown();
        }
        return ids;
    }

    private String ours() {
        return "(select id from scheduler.job where name like '%-" + run + "%')";
    }

    @Test
    void one_shot_and_cron_jobs_run_exactly_once_through_a_scheduler_replica_killed_mid_run() throws Exception {
        Report report = new Report("jobs");
        ConfigurableApplicationContext worker = SystemWorker.start(cluster);
        SystemWorker recorder = worker.getBean(SystemWorker.class);
        try {
            List<String> crons = new ArrayList<>();
            for (int i = 0; i < CRON_JOBS; i++) {
                crons.add(create("""
                        {"name": "cron-%s-%d", "schedule": {"type": "CRON", "cron": "* * * * * *", "zone": "Europe/Berlin"},
                         "target": {"service": "system-worker", "path": "/baton/tasks/record"}}""".formatted(run, i)));
            }
            Instant cronsCreated = Instant.now();
            Instant from = cronsCreated.plusSeconds(5);
            List<String> oneShots = createOneShots(from);
            report.did(
                    "%d one-shot jobs due over 10 s and %d every-second cron jobs created through the gateway",
                    oneShots.size(), crons.size());

            Cluster.awaitUntil(
                    Duration.ofMinutes(2),
                    "a third of the one-shot executions finished",
                    () -> cluster.count(
                                    "select count(*) from scheduler.execution where finished_at is not null and job_id in "
                                            + ours())
                            >= ONE_SHOTS / 3);
            ServiceProcess victim = cluster.schedulers.get(1);
            String victimId = Cluster.pidOf(victim) + "@%";
            victim.kill();
            Set<Long> held =
                    cluster.ids("select id from scheduler.execution where status = 'RUNNING' and replica like '"
                            + victimId + "' and job_id in " + ours());
            cluster.schedulers.set(1, cluster.start("scheduler-service", victim.port()));
            report.did(
                    "fault: SIGKILL to a scheduler replica a third of the way, holding %d execution(s) it had "
                            + "claimed and not handed to the worker; then started again",
                    held.size());

            String finishedOneShots =
                    "select count(*) from scheduler.execution e join scheduler.job j on j.id = e.job_id "
                            + "where j.name like 'once-" + run + "-%' and e.finished_at is not null";
            Cluster.awaitUntil(
                    Duration.ofMinutes(3),
                    "every one-shot execution finished",
                    () -> cluster.count(finishedOneShots) == ONE_SHOTS);
            for (String cron : crons) {
                TestHttp.Response paused =
                        cluster.http().send("POST", "/api/v1/jobs/" + cron + "/pause", TestApiKeys.WRITE, null);
                report.check(paused.status() == 200, "cron job %s paused (%d)", cron, paused.status());
            }
            Instant cronsPaused = Instant.now();
            Cluster.awaitUntil(
                    Duration.ofMinutes(1),
                    "no execution of the scenario's jobs left running or pending",
                    () -> cluster.count(
                                    "select count(*) from scheduler.execution where status in ('RUNNING', 'PENDING') and job_id in "
                                            + ours())
                            == 0);

            report.check(
                    cluster.count(finishedOneShots) == ONE_SHOTS, "all %d one-shot executions finished", ONE_SHOTS);
            report.check(
                    cluster.count("select count(*) from scheduler.job j where j.name like 'once-" + run + "-%' and "
                                    + "(select count(*) from scheduler.execution e where e.job_id = j.id) <> 1")
                            == 0,
                    "every one-shot job has exactly one execution");
            report.check(
                    cluster.count("select count(*) from scheduler.execution where job_id in " + ours()
                                    + " and status <> 'SUCCEEDED'")
                            == 0,
                    "every execution succeeded");
            checkCronRuns(report, crons, cronsCreated, cronsPaused);

            Map<Long, Integer> attempts = new HashMap<>();
            try (Connection connection = cluster.database().connect();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("select id, attempt from scheduler.execution where job_id in "
                            + ours() + " and status = 'SUCCEEDED'")) {
                while (rs.next()) {
                    attempts.put(rs.getLong(1), rs.getInt(2));
                }
            }
            Set<Long> recovered = new HashSet<>();
            attempts.forEach((id, attempt) -> {
                if (attempt > 1) {
                    recovered.add(id);
                }
            });
            report.check(
                    recovered.equals(held),
                    "the executions run again are exactly the %d the killed replica held " + "(%d run again)",
                    held.size(),
                    recovered.size());
            report.check(
                    held.stream().allMatch(id -> attempts.get(id) == 2),
                    "each execution the killed replica held succeeded at its second attempt");

            Set<SystemWorker.Call> seen = new HashSet<>();
            int duplicates = 0;
            Set<Long> seenIds = new HashSet<>();
            for (SystemWorker.Call call : recorder.calls) {
                if (!seen.add(call)) {
                    report.violation(
                            "the worker got execution %d attempt %d twice", call.executionId(), call.attempt());
                }
                if (!seenIds.add(call.executionId())) {
                    duplicates++;
                }
            }
            long missed = attempts.entrySet().stream()
                    .filter(entry -> !seen.contains(new SystemWorker.Call(entry.getKey(), entry.getValue())))
                    .count();
            report.check(
                    missed == 0,
                    "the worker saw the succeeded attempt of every one of the %d executions " + "(%d missed)",
                    attempts.size(),
                    missed);
            report.did(
                    "%d calls at the worker; %d repeated an execution, each as another attempt",
                    recorder.calls.size(), duplicates);
        } finally {
            worker.close();
        }
        report.end();
    }

    /**
     * Each cron job ran once for every second from its first trigger to its last, each run
     * succeeded, and the runs span the time the job was enabled, give or take two seconds.
     */
    private void checkCronRuns(Report report, List<String> crons, Instant created, Instant paused) throws SQLException {
        long enabledSeconds = Duration.between(created, paused).toSeconds();
        for (String cron : crons) {
            try (Connection connection = cluster.database().connect();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("""
                            select count(*), count(*) filter (where status = 'SUCCEEDED'),
                                   extract(epoch from max(scheduled_at) - min(scheduled_at))::bigint,
                                   count(distinct scheduled_at)
                              from scheduler.execution where job_id = '%s' and trigger = 'SCHEDULE'""".formatted(cron))) {
                rs.next();
                long runs = rs.getLong(1);
                long succeeded = rs.getLong(2);
                long span = rs.getLong(3);
                long distinct = rs.getLong(4);
                report.check(
                        runs == span + 1
                                && distinct == runs
                                && succeeded == runs
                                && runs >= enabledSeconds - 2
                                && runs <= enabledSeconds + 2,
                        "cron job %s ran %d time(s), one for each second of its %d s span, all succeeded, "
                                + "over the %d s it was enabled",
                        cron,
                        runs,
                        span,
                        enabledSeconds);
            }
        }
    }
}
