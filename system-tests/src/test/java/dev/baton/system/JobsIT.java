package dev.baton.system;

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
 * completes once as recorded, no cron second is missing, the worker saw every execution, and what
 * it saw twice is only two attempts of one execution.
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
                                 "target": {"service": "system-worker", "path": "/baton/tasks/record"}}"""
                                .formatted(run, i, from.plusMillis(i * 10_000L / ONE_SHOTS))));
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

    private long count(String sql) throws SQLException {
        try (Connection connection = cluster.database().connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
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
            Instant from = Instant.now().plusSeconds(5);
            List<String> oneShots = createOneShots(from);
            report.did("%d one-shot jobs due over 10 s and %d every-second cron jobs created through the gateway",
                    oneShots.size(), crons.size());

            while (count("select count(*) from scheduler.execution where finished_at is not null and job_id in "
                    + ours()) < ONE_SHOTS / 3) {
                Thread.sleep(100);
            }
            cluster.restartScheduler(1);
            report.did("fault: SIGKILL to a scheduler replica a third of the way, then started again");

            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            String finishedOneShots = "select count(*) from scheduler.execution e join scheduler.job j on j.id = e.job_id "
                    + "where j.name like 'once-" + run + "-%' and e.finished_at is not null";
            while (count(finishedOneShots) < ONE_SHOTS && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            for (String cron : crons) {
                cluster.http().send("POST", "/api/v1/jobs/" + cron + "/pause", TestApiKeys.WRITE, null);
            }
            while (count("select count(*) from scheduler.execution where status = 'RUNNING' and job_id in " + ours()) > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }

            report.check(count(finishedOneShots) == ONE_SHOTS, "all %d one-shot executions finished", ONE_SHOTS);
            report.check(count("select count(*) from scheduler.job j where j.name like 'once-" + run + "-%' and "
                    + "(select count(*) from scheduler.execution e where e.job_id = j.id) <> 1") == 0,
                    "every one-shot job has exactly one execution");
            report.check(count("select count(*) from scheduler.execution where job_id in " + ours()
                    + " and finished_at is not null and status <> 'SUCCEEDED'") == 0,
                    "every finished execution succeeded");
            long cronRuns = count("select count(*) from scheduler.execution e join scheduler.job j on j.id = e.job_id "
                    + "where j.name like 'cron-" + run + "-%' and e.status = 'SUCCEEDED'");
            long gaps = count("""
                    select count(*) from (
                      select scheduled_at - lag(scheduled_at) over (partition by job_id order by scheduled_at) as step
                        from scheduler.execution where job_id in %s and trigger = 'SCHEDULE'
                         and job_id in (select id from scheduler.job where name like 'cron-%%')) steps
                     where step <> interval '1 second'""".formatted(ours()));
            report.check(gaps == 0, "%d cron executions, one for every second, none missing (%d gaps)", cronRuns, gaps);

            Map<Long, Integer> attempts = new HashMap<>();
            try (Connection connection = cluster.database().connect(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("select id, attempt from scheduler.execution where job_id in "
                            + ours() + " and status = 'SUCCEEDED'")) {
                while (rs.next()) {
                    attempts.put(rs.getLong(1), rs.getInt(2));
                }
            }
            Set<SystemWorker.Call> seen = new HashSet<>();
            Set<Long> seenIds = new HashSet<>();
            int duplicates = 0;
            for (SystemWorker.Call call : recorder.calls) {
                if (!seen.add(call)) {
                    report.violation("the worker got execution %d attempt %d twice", call.executionId(), call.attempt());
                }
                if (!seenIds.add(call.executionId())) {
                    duplicates++;
                }
            }
            report.check(seenIds.containsAll(attempts.keySet()), "the worker saw all %d succeeded executions",
                    attempts.size());
            long recovered = attempts.values().stream().filter(attempt -> attempt > 1).count();
            report.did("%d calls at the worker; %d repeated an execution, each as another attempt; %d executions "
                    + "needed more than one attempt", recorder.calls.size(), duplicates, recovered);
        } finally {
            worker.close();
        }
        report.end();
    }
}
