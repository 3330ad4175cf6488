package dev.baton.scheduler.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A key with a jobs scope reaches the jobs whose names it starts, by name or by id, and lists only those. */
class JobScopesTest extends SchedulerTest {

    private static final String SERVICE = unique("scoped-worker");
    private static TestWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = TestWorker.start(registry().url(), SERVICE, "w1");
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    private static String job(String name) {
        return """
                {"name": "%s", "schedule": {"type": "CRON", "cron": "0 0 2 * * *", "zone": "UTC"},
                 "target": {"service": "%s", "path": "/tasks/report"}}""".formatted(name, SERVICE);
    }

    @Test
    void a_key_scoped_to_team_a_jobs_creates_reads_and_runs_them_and_is_refused_the_others() throws Exception {
        String team = unique("team");
        String key = scopedKey("{\"jobs\": [\"" + team + "-a/\"]}");
        String other = createJob(job(team + "-b/report")).path("id").asString();

        TestHttp.Response created = http().send("POST", "/api/v1/jobs", key, job(team + "-a/report"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String own = created.json().path("id").asString();
        assertThat(http().get("/api/v1/jobs/" + own, key).status()).isEqualTo(200);
        assertThat(http().send("POST", "/api/v1/jobs/" + own + "/pause", key, null)
                        .status())
                .isEqualTo(200);

        TestHttp.Response refused = http().send("POST", "/api/v1/jobs", key, job(team + "-b/other"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().path("missingScope").path("kind").asString()).isEqualTo("jobs");
        assertThat(refused.json().path("missingScope").path("name").asString()).isEqualTo(team + "-b/other");
        for (String[] request :
                new String[][] {{"GET", ""}, {"POST", "/pause"}, {"POST", "/resume"}, {"POST", "/trigger"}}) {
            assertThat(http().send(request[0], "/api/v1/jobs/" + other + request[1], key, null)
                            .status())
                    .as(request[0] + " " + request[1])
                    .isEqualTo(403);
        }
        assertThat(http().send("PUT", "/api/v1/jobs/" + other, key, job(team + "-a/taken-over"))
                        .status())
                .isEqualTo(403);
        assertThat(http().send("PUT", "/api/v1/jobs/" + own, key, job(team + "-b/moved"))
                        .status())
                .isEqualTo(403);

        JsonNode listed = http().get("/api/v1/jobs?limit=1000", key).json().path("items");
        assertThat(listed.findValuesAsString("name"))
                .contains(team + "-a/report")
                .doesNotContain(team + "-b/report");
        assertThat(http().get("/api/v1/jobs/" + other, TestApiKeys.READ).status())
                .isEqualTo(200);
    }

    @Test
    void a_key_without_the_jobs_kind_reaches_no_job() throws Exception {
        String key = scopedKey("{\"locks\": [\"\"]}");
        TestHttp.Response refused = http().get("/api/v1/jobs", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("missingScope").path("kind").asString()).isEqualTo("jobs");
    }
}
