package dev.baton.scheduler.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.ScopedKeyTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A key with a workflows scope reaches the workflows whose names it starts, and their runs; what it
 * creates may run only jobs its jobs scope reaches.
 */
class WorkflowScopesTest extends ScopedKeyTest {

    private static final String SERVICE = unique("scoped-workflow-worker");
    private static TestWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = TestWorker.start(registry().url(), SERVICE, "w1");
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    private static String workflow(String name, String jobId) {
        return """
                {"name": "%s", "nodes": [{"id": "only", "jobId": "%s"}]}""".formatted(name, jobId);
    }

    private void assertMissing(TestHttp.Response response, String kind, String name) {
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("missingScope").path("kind").asString()).isEqualTo(kind);
        assertThat(response.json().path("missingScope").path("name").asString()).isEqualTo(name);
    }

    @Test
    void a_key_scoped_to_team_a_runs_its_own_workflows_of_its_own_jobs_and_is_refused_the_others() throws Exception {
        String team = unique("team");
        String key = storeKey("{\"workflows\": [\"" + team + "-a/\"], \"jobs\": [\"" + team + "-a/\"]}");
        String ownJob = createJob(job(team + "-a/job", SERVICE)).path("id").asString();
        String otherJob = createJob(job(team + "-b/job", SERVICE)).path("id").asString();
        TestHttp.Response others =
                http().send("POST", "/api/v1/workflows", TestApiKeys.WRITE, workflow(team + "-b/flow", otherJob));
        String other = others.json().path("id").asString();
        long otherRun = http().send("POST", "/api/v1/workflows/" + other + "/trigger", TestApiKeys.WRITE, null)
                .json()
                .path("runId")
                .asLong();

        TestHttp.Response created = http().send("POST", "/api/v1/workflows", key, workflow(team + "-a/flow", ownJob));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String own = created.json().path("id").asString();
        TestHttp.Response triggered = http().send("POST", "/api/v1/workflows/" + own + "/trigger", key, null);
        assertThat(triggered.status()).isEqualTo(202);
        assertThat(http().get(
                                "/api/v1/workflow-runs/"
                                        + triggered.json().path("runId").asLong(),
                                key)
                        .status())
                .isEqualTo(200);

        assertMissing(
                http().send("POST", "/api/v1/workflows", key, workflow(team + "-b/flow2", ownJob)),
                "workflows",
                team + "-b/flow2");
        assertMissing(
                http().send("POST", "/api/v1/workflows", key, workflow(team + "-a/flow2", otherJob)),
                "jobs",
                team + "-b/job");
        assertMissing(http().get("/api/v1/workflows/" + other, key), "workflows", team + "-b/flow");
        assertMissing(http().get("/api/v1/workflows/" + other + "/runs", key), "workflows", team + "-b/flow");
        assertMissing(
                http().send("POST", "/api/v1/workflows/" + other + "/trigger", key, null),
                "workflows",
                team + "-b/flow");
        assertMissing(http().get("/api/v1/workflow-runs/" + otherRun, key), "workflows", team + "-b/flow");
        assertThat(http().get("/api/v1/workflows?limit=1000", key)
                        .json()
                        .path("items")
                        .findValuesAsString("name"))
                .contains(team + "-a/flow")
                .doesNotContain(team + "-b/flow");
    }

    @Test
    void a_key_without_the_workflows_kind_reaches_no_workflow_nor_run() throws Exception {
        String key = storeKey("{\"jobs\": [\"\"]}");
        TestHttp.Response refused = http().get("/api/v1/workflows", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("missingScope").path("kind").asString()).isEqualTo("workflows");
        assertThat(http().get("/api/v1/workflow-runs/1", key).status()).isEqualTo(403);
    }
}
