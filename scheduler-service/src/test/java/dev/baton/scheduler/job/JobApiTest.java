package dev.baton.scheduler.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class JobApiTest extends SchedulerTest {

    private static final String SERVICE = unique("api-worker");
    private static TestWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = TestWorker.start(registry().url(), SERVICE, "w1");
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    private static String cronJob(String name, String cron) {
        return """
                {"name": "%s", "schedule": {"type": "CRON", "cron": "%s", "zone": "Asia/Shanghai"},
                 "target": {"service": "%s", "path": "/tasks/report", "body": {"tenant": 42}},
                 "routing": "CONSISTENT_HASH", "routingKey": "tenant-42", "timeoutMs": 60000,
                 "retry": {"maxAttempts": 3, "backoffMs": 1000, "multiplier": 2.0, "maxBackoffMs": 60000},
                 "misfire": "FIRE_NOW", "concurrency": "FORBID"}""".formatted(name, cron, SERVICE);
    }

    @Test
    void a_job_is_created_read_listed_replaced_and_deleted() {
        String name = unique("nightly-report");
        JsonNode job = createJob(cronJob(name, "0 0 2 * * *"));
        String id = job.path("id").asString();

        assertThat(job.path("enabled").asBoolean()).isTrue();
        assertThat(job.path("shards").asInt()).isEqualTo(1);
        assertThat(job.path("target").path("method").asString()).isEqualTo("POST");
        assertThat(Instant.parse(job.path("nextRunAt").asString())).isAfter(Instant.now());
        assertThat(http().get("/api/v1/jobs/" + id, TestApiKeys.READ)
                        .json()
                        .path("name")
                        .asString())
                .isEqualTo(name);
        assertThat(http().get("/api/v1/jobs?limit=1000", TestApiKeys.READ)
                        .json()
                        .path("items")
                        .findValuesAsString("name"))
                .contains(name);

        TestHttp.Response replaced =
                http().send("PUT", "/api/v1/jobs/" + id, TestApiKeys.WRITE, cronJob(name, "0 0 3 * * *"));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("schedule").path("cron").asString()).isEqualTo("0 0 3 * * *");
        assertThat(replaced.json().path("version").asLong()).isEqualTo(2);

        assertThat(http().send("DELETE", "/api/v1/jobs/" + id, TestApiKeys.WRITE, null)
                        .status())
                .isEqualTo(403);
        assertThat(http().send("DELETE", "/api/v1/jobs/" + id, TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
        assertThat(http().get("/api/v1/jobs/" + id, TestApiKeys.READ).status()).isEqualTo(404);
    }

    @Test
    void a_duplicate_name_is_a_409_problem() {
        String name = unique("twice");
        createJob(cronJob(name, "0 0 2 * * *"));

        TestHttp.Response second = http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, cronJob(name, "0 0 2 * * *"));

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.isProblem()).isTrue();
    }

    @Test
    void pause_drops_the_next_run_and_resume_schedules_it_again() {
        String id =
                createJob(cronJob(unique("pausable"), "0 0 2 * * *")).path("id").asString();

        JsonNode paused = http().send("POST", "/api/v1/jobs/" + id + "/pause", TestApiKeys.WRITE, null)
                .json();
        assertThat(paused.path("enabled").asBoolean()).isFalse();
        assertThat(paused.path("nextRunAt").isNull()).isTrue();

        JsonNode resumed = http().send("POST", "/api/v1/jobs/" + id + "/resume", TestApiKeys.WRITE, null)
                .json();
        assertThat(resumed.path("enabled").asBoolean()).isTrue();
        assertThat(resumed.path("nextRunAt").isNull()).isFalse();
        assertThat(history(id)).hasSize(1);
    }

    @Test
    void a_paused_job_still_runs_when_triggered_and_its_stats_count_it() {
        String id = createJob(cronJob(unique("manual"), "0 0 2 * * *")
                        .replace("\"concurrency\": \"FORBID\"", "\"enabled\": false"))
                .path("id")
                .asString();

        long execution = trigger(id);
        JsonNode done = awaitExecution(execution, "SUCCEEDED");

        assertThat(done.path("trigger").asString()).isEqualTo("MANUAL");
        assertThat(done.path("result").asString()).isEqualTo("ok w1");
        assertThat(done.path("attempts")).hasSize(1);
        JsonNode stats =
                http().get("/api/v1/jobs/" + id + "/stats", TestApiKeys.READ).json();
        assertThat(stats.path("counts").path("SUCCEEDED").asLong()).isEqualTo(1);
        assertThat(stats.path("successRate").asDouble()).isEqualTo(1.0);
        assertThat(stats.path("durationP99Ms").isNull()).isFalse();
        assertThat(stats.path("lastRunStatus").asString()).isEqualTo("SUCCEEDED");
        assertThat(http().get("/api/v1/jobs/" + id + "/executions?status=SUCCEEDED", TestApiKeys.READ)
                        .json()
                        .path("items"))
                .hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\": \"bad-cron\", \"schedule\": {\"type\": \"CRON\", \"cron\": \"every day\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"bad-zone\", \"schedule\": {\"type\": \"CRON\", \"cron\": \"0 0 2 * * *\", \"zone\": \"Mars/Olympus\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"negative\", \"schedule\": {\"type\": \"FIXED_RATE\", \"intervalMs\": -5}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"no-interval\", \"schedule\": {\"type\": \"FIXED_DELAY\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"no-at\", \"schedule\": {\"type\": \"ONCE\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"unknown-service\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"service\": \"nobody-runs-this\", \"path\": \"/x\"}}",
                "{\"name\": \"both-targets\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"service\": \"s\", \"url\": \"http://w/\"}}",
                "{\"name\": \"ftp\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"url\": \"ftp://w/\"}}",
                "{\"name\": \"bad routing\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"enum\", \"schedule\": {\"type\": \"HOURLY\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"routing\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"url\": \"http://w/\"}, \"routing\": \"NEAREST\"}",
                "{\"name\": \"shards\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"url\": \"http://w/\"}, \"shards\": 4}",
                "{\"name\": \"retry\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"url\": \"http://w/\"}, \"retry\": {\"maxAttempts\": 0}}",
                "{\"name\": \"timeout\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"url\": \"http://w/\"}, \"timeoutMs\": -1}",
                "{\"name\": \"window\", \"schedule\": {\"type\": \"FIXED_RATE\", \"intervalMs\": 10, \"startAt\": \"2030-01-01T00:00:00Z\", \"endAt\": \"2029-01-01T00:00:00Z\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}, \"target\": {\"url\": \"http://w/\"}}",
                "{\"name\": \"no-target\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"2030-01-01T00:00:00Z\"}}",
                "{\"name\": \"at\", \"schedule\": {\"type\": \"ONCE\", \"at\": \"tomorrow\"}, \"target\": {\"url\": \"http://w/\"}}",
                "[1, 2, 3]",
                "{not json"
            })
    void a_bad_job_definition_is_a_400_problem_and_creates_nothing(String json) {
        int before = http().get("/api/v1/jobs?limit=1000", TestApiKeys.READ)
                .json()
                .path("items")
                .size();

        TestHttp.Response response = http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, json);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(http().get("/api/v1/jobs?limit=1000", TestApiKeys.READ)
                        .json()
                        .path("items"))
                .hasSize(before);
    }

    @Test
    void a_path_that_makes_no_uri_is_a_400_problem_naming_target_path() {
        TestHttp.Response response =
                http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2030-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/not|a|path"}}""".formatted(unique("bad-path"), SERVICE));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("errors").findValuesAsString("field")).containsExactly("target.path");
    }

    @Test
    void unknown_jobs_and_executions_are_404_problems_and_bad_ids_400() {
        assertThat(http().get("/api/v1/jobs/7d0c2f1e-0000-4000-8000-000000000000", TestApiKeys.READ)
                        .status())
                .isEqualTo(404);
        assertThat(http().get("/api/v1/executions/987654321", TestApiKeys.READ).status())
                .isEqualTo(404);
        assertThat(http().get("/api/v1/jobs/not-a-uuid", TestApiKeys.READ).status())
                .isEqualTo(400);
        assertThat(http().send(
                                "POST",
                                "/api/v1/executions/987654321/complete",
                                TestApiKeys.WRITE,
                                "{\"status\": \"SUCCEEDED\", \"attempt\": 1}")
                        .status())
                .isEqualTo(404);
        assertThat(http().send("POST", "/api/v1/executions/1/complete", TestApiKeys.WRITE, "{\"status\": \"MAYBE\"}")
                        .status())
                .isEqualTo(400);
    }
}
