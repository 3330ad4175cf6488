package dev.baton.scheduler.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;

/**
 * A test of workflows with a real worker, which answers as the path of each job says: {@code /fail}
 * with 500, {@code /slow} after 800 ms, {@code /accept} with 202 (the test reports), any other with
 * 200 and the path's last segment as its result.
 */
abstract class WorkflowTest extends SchedulerTest {

    protected static final String SERVICE = unique("workflow-worker");
    protected static TestWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = TestWorker.start(registry().url(), SERVICE, "w1", call -> {
            if (call.path().endsWith("/fail")) {
                return new TestWorker.Reply(500, "\"broken\"");
            }
            if (call.path().endsWith("/accept")) {
                return new TestWorker.Reply(202, null);
            }
            if (call.path().endsWith("/slow")) {
                TestWorker.pause(800);
            }
            return TestWorker.Reply.ok("\"" + call.path().substring(call.path().lastIndexOf('/') + 1) + "\"");
        });
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    /** Creates a job that runs only when triggered, calling the worker at {@code path}; returns its id. */
    protected String job(String path, String body) {
        return createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "%s", "body": %s}}""".formatted(unique("node-job"), SERVICE, path, body))
                .path("id")
                .asString();
    }

    protected String job(String path) {
        return job(path, "null");
    }

    /** Creates a workflow and returns it; fails unless the answer is 201. */
    protected JsonNode createWorkflow(String json) {
        TestHttp.Response response = http().send("POST", "/api/v1/workflows", TestApiKeys.WRITE, json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    /** Starts a run now and returns its id. */
    protected long triggerRun(String workflowId) {
        TestHttp.Response response =
                http().send("POST", "/api/v1/workflows/" + workflowId + "/trigger", TestApiKeys.WRITE, null);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().path("runId").asLong();
    }

    protected JsonNode run(long id) {
        return http().get("/api/v1/workflow-runs/" + id, TestApiKeys.READ).json();
    }

    /** Waits until the run meets the condition, and returns it. */
    protected JsonNode awaitRun(long id, Predicate<JsonNode> condition) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> run(id), condition);
    }

    /** Waits until the run has ended, and returns it. */
    protected JsonNode awaitEnded(long id) {
        return awaitRun(id, run -> run.path("finishedAt").isString());
    }

    /** A node of a run, by id. */
    protected static JsonNode node(JsonNode run, String id) {
        for (JsonNode node : run.path("nodes")) {
            if (node.path("id").asString().equals(id)) {
                return node;
            }
        }
        throw new AssertionError("run has no node " + id + ": " + run);
    }
}
