package dev.baton.scheduler.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Workflow definitions through the API: whole edits, the rules of a DAG, names, ids and roles. */
class WorkflowApiTest extends WorkflowTest {

    private String chain(String name, String first, String second) {
        return """
                {"name": "%s", "schedule": {"type": "CRON", "cron": "0 0 2 * * *", "zone": "UTC"},
                 "nodes": [{"id": "first", "jobId": "%s"}, {"id": "second", "jobId": "%s"}],
                 "edges": [{"from": "first", "to": "second"}]}""".formatted(name, first, second);
    }

    /** Posts a definition that must be refused, and returns the fields its problem names. */
    private Iterable<String> refusedFields(String json) {
        TestHttp.Response response = http().send("POST", "/api/v1/workflows", TestApiKeys.WRITE, json);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("type").asString()).isEqualTo("urn:baton:problem:validation");
        return response.json().path("errors").findValuesAsString("field");
    }

    private String message(String json) {
        return http().send("POST", "/api/v1/workflows", TestApiKeys.WRITE, json)
                .json()
                .path("errors")
                .get(0)
                .path("message")
                .asString();
    }

    @Test
    void a_workflow_is_created_read_listed_replaced_and_deleted() {
        String name = unique("nightly");
        String first = job("/first");
        String second = job("/second");
        JsonNode workflow = createWorkflow(chain(name, first, second));
        String id = workflow.path("id").asString();

        assertThat(workflow.path("edges").get(0).path("on").asString()).isEqualTo("SUCCESS");
        assertThat(workflow.path("misfire").asString()).isEqualTo("FIRE_NOW");
        assertThat(workflow.path("concurrency").asString()).isEqualTo("ALLOW");
        assertThat(workflow.path("version").asLong()).isEqualTo(1);
        assertThat(Instant.parse(workflow.path("nextRunAt").asString())).isAfter(Instant.now());
        assertThat(http().get("/api/v1/workflows/" + id, TestApiKeys.READ)
                        .json()
                        .path("nodes")
                        .findValuesAsString("id"))
                .containsExactly("first", "second");
        assertThat(http().get("/api/v1/workflows?limit=1000", TestApiKeys.READ)
                        .json()
                        .path("items")
                        .findValuesAsString("name"))
                .contains(name);

        TestHttp.Response replaced =
                http().send("PUT", "/api/v1/workflows/" + id, TestApiKeys.WRITE, """
                {"name": "%s", "nodes": [{"id": "only", "jobId": "%s"}]}""".formatted(name, second));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().path("version").asLong()).isEqualTo(2);
        assertThat(replaced.json().path("nextRunAt").isNull()).isTrue();
        assertThat(replaced.json().path("edges")).isEmpty();

        assertThat(http().send("DELETE", "/api/v1/workflows/" + id, TestApiKeys.WRITE, null)
                        .status())
                .isEqualTo(403);
        assertThat(http().send("DELETE", "/api/v1/workflows/" + id, TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
        assertThat(http().get("/api/v1/workflows/" + id, TestApiKeys.READ).status())
                .isEqualTo(404);
    }

    @Test
    void a_cycle_is_a_400_problem_naming_it() {
        String job = job("/any");
        String json = """
                {"name": "%s", "nodes": [{"id": "a", "jobId": "%s"}, {"id": "b", "jobId": "%s"}, {"id": "c", "jobId": "%s"},
                                          {"id": "d", "jobId": "%s"}],
                 "edges": [{"from": "d", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "c"},
                           {"from": "c", "to": "a", "on": "ALWAYS"}]}""".formatted(unique("cycle"), job, job, job, job);

        assertThat(refusedFields(json)).containsExactly("edges");
        assertThat(message(json)).isEqualTo("form a cycle: a -> b -> c -> a");
        String loop = """
                {"name": "%s", "nodes": [{"id": "self", "jobId": "%s"}], "edges": [{"from": "self", "to": "self"}]}""".formatted(unique("loop"), job);
        assertThat(message(loop)).isEqualTo("form a cycle: self -> self");
    }

    @Test
    void an_unknown_job_a_dangling_edge_and_a_repeated_node_are_400_problems_naming_them() {
        String job = job("/any");
        String unknown = "7d0c2f1e-0000-4000-8000-000000000000";

        String unknownJob = """
                {"name": "%s", "nodes": [{"id": "a", "jobId": "%s"}, {"id": "b", "jobId": "%s"}]}""".formatted(unique("unknown-job"), job, unknown);
        assertThat(refusedFields(unknownJob)).containsExactly("nodes[1].jobId");
        assertThat(message(unknownJob)).isEqualTo("names no job: " + unknown);

        String dangling = """
                {"name": "%s", "nodes": [{"id": "a", "jobId": "%s"}],
                 "edges": [{"from": "a", "to": "nowhere"}]}""".formatted(unique("dangling"), job);
        assertThat(refusedFields(dangling)).containsExactly("edges[0].to");
        assertThat(message(dangling)).isEqualTo("names no node of the workflow: 'nowhere'");

        assertThat(refusedFields("""
                {"name": "%s", "nodes": [{"id": "a", "jobId": "%s"}, {"id": "a", "jobId": "%s"}]}""".formatted(unique("twice"), job, job))).containsExactly("nodes[1].id");
        assertThat(refusedFields("""
                {"name": "%s", "nodes": [{"id": "a", "jobId": "%s"}, {"id": "b", "jobId": "%s"}],
                 "edges": [{"from": "a", "to": "b"}, {"from": "a", "to": "b", "on": "FAILURE"}]}""".formatted(unique("repeated-edge"), job, job)))
                .containsExactly("edges[1]");
        assertThat(refusedFields("""
                {"name": "%s", "nodes": [], "edges": []}""".formatted(unique("empty")))).containsExactly("nodes");
        assertThat(refusedFields("""
                {"name": "%s", "nodes": [{"id": "a", "jobId": "%s"}], "edges": [{"from": "a", "to": "a", "on": "SOMETIMES"}]}""".formatted(unique("condition"), job))).isNotEmpty();
        assertThat(refusedFields("""
                {"name": "%s", "schedule": {"type": "CRON", "cron": "every day"}, "nodes": [{"id": "a", "jobId": "%s"}]}""".formatted(unique("bad-cron"), job))).containsExactly("schedule.cron");
    }

    @Test
    void a_taken_name_is_a_409_problem() {
        String name = unique("taken");
        String job = job("/any");
        createWorkflow(chain(name, job, job));

        TestHttp.Response again = http().send("POST", "/api/v1/workflows", TestApiKeys.WRITE, chain(name, job, job));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.isProblem()).isTrue();
    }

    @Test
    void unknown_workflows_and_runs_are_404_problems_and_bad_ids_400() {
        String unknown = "/api/v1/workflows/7d0c2f1e-0000-4000-8000-000000000000";
        assertThat(http().get(unknown, TestApiKeys.READ).status()).isEqualTo(404);
        assertThat(http().get(unknown + "/runs", TestApiKeys.READ).status()).isEqualTo(404);
        assertThat(http().send("POST", unknown + "/trigger", TestApiKeys.WRITE, null)
                        .status())
                .isEqualTo(404);
        assertThat(http().send("PUT", unknown, TestApiKeys.WRITE, chain(unique("absent"), job("/a"), job("/b")))
                        .status())
                .isEqualTo(404);
        assertThat(http().send("DELETE", unknown, TestApiKeys.ADMIN, null).status())
                .isEqualTo(404);
        TestHttp.Response run = http().get("/api/v1/workflow-runs/987654321", TestApiKeys.READ);
        assertThat(run.status()).isEqualTo(404);
        assertThat(run.isProblem()).isTrue();
        assertThat(http().get("/api/v1/workflows/not-a-uuid", TestApiKeys.READ).status())
                .isEqualTo(400);
        assertThat(http().get("/api/v1/workflow-runs/not-a-number", TestApiKeys.READ)
                        .status())
                .isEqualTo(400);
        assertThat(http().send(
                                "POST",
                                "/api/v1/workflows",
                                TestApiKeys.READ,
                                chain(unique("read"), job("/a"), job("/b")))
                        .status())
                .isEqualTo(403);
        assertThat(http().get("/api/v1/workflows", null).status()).isEqualTo(401);
    }

    @Test
    void a_job_that_a_workflow_runs_is_kept_until_the_workflow_lets_it_go() {
        String job = job("/kept");
        String name = unique("keeper");
        String workflow =
                createWorkflow(chain(name, job, job("/other"))).path("id").asString();

        TestHttp.Response refused = http().send("DELETE", "/api/v1/jobs/" + job, TestApiKeys.ADMIN, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asString()).contains(name);

        assertThat(http().send("DELETE", "/api/v1/workflows/" + workflow, TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
        assertThat(http().send("DELETE", "/api/v1/jobs/" + job, TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
    }
}
