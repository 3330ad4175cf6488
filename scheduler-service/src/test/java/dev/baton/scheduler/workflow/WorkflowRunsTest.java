package dev.baton.scheduler.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs of workflows on a real scheduler and worker: which nodes run, on which edges, with what input. */
class WorkflowRunsTest extends WorkflowTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    /** The calls the worker got for a run, by the node whose execution each was. */
    private TestWorker.Call callOf(JsonNode run, String node) {
        long execution = node(run, node).path("executionId").asLong();
        return worker.calls().stream()
                .filter(call -> call.executionId() == execution)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the worker got no call of node " + node));
    }

    /**
     * A diamond: A to B and C, both on success, and B and C to D on the edges given. B succeeds
     * with "b", C fails; D runs when its edges accept that, with B's and C's results as input.
     */
    @ParameterizedTest(name = "B to D on {0}, C to D on {1}: D {2}, the run {3}")
    @CsvSource({
        "SUCCESS, SUCCESS, SKIPPED,   FAILED",
        "SUCCESS, FAILURE, SUCCEEDED, SUCCEEDED",
        "ALWAYS,  ALWAYS,  SUCCEEDED, SUCCEEDED",
        "FAILURE, FAILURE, SKIPPED,   SUCCEEDED"
    })
    void a_diamond_with_a_failing_branch_runs_the_last_node_as_its_edges_say(
            String bToD, String cToD, String d, String runStatus) {
        String workflowId = createWorkflow("""
                {"name": "%s",
                 "nodes": [{"id": "A", "jobId": "%s"}, {"id": "B", "jobId": "%s"},
                           {"id": "C", "jobId": "%s"}, {"id": "D", "jobId": "%s"}],
                 "edges": [{"from": "A", "to": "B"}, {"from": "A", "to": "C", "on": "SUCCESS"},
                           {"from": "B", "to": "D", "on": "%s"}, {"from": "C", "to": "D", "on": "%s"}]}""".formatted(
                                unique("diamond"),
                                job("/a"),
                                job("/b"),
                                job("/fail"),
                                job("/d", "{\"report\": \"daily\"}"),
                                bToD,
                                cToD))
                .path("id")
                .asString();

        long runId = triggerRun(workflowId);
        JsonNode run = awaitEnded(runId);

        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo(runStatus);
        assertThat(run.path("nodes").findValuesAsString("id")).containsExactly("A", "B", "C", "D");
        assertThat(node(run, "A").path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(node(run, "B").path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(node(run, "C").path("status").asString()).isEqualTo("FAILED");
        assertThat(node(run, "D").path("status").asString()).isEqualTo(d);
        TestWorker.Call a = callOf(run, "A");
        assertThat(a.workflowRun()).isEqualTo(runId);
        assertThat(json.readTree(a.body()).path("upstream").isEmpty()).isTrue();
        assertThat(json.readTree(callOf(run, "B").body())
                        .path("upstream")
                        .path("A")
                        .asString())
                .isEqualTo("a");
        if (d.equals("SKIPPED")) {
            assertThat(node(run, "D").path("executionId").isNull()).isTrue();
            return;
        }
        JsonNode input = json.readTree(callOf(run, "D").body());
        assertThat(input.path("report").asString()).isEqualTo("daily");
        assertThat(input.path("upstream").path("B").asString()).isEqualTo("b");
        assertThat(input.path("upstream").has("C")).isTrue();
        assertThat(input.path("upstream").path("C").isNull()).isTrue();
        assertThat(input.path("upstream").properties()).hasSize(2);
        JsonNode execution = execution(node(run, "D").path("executionId").asLong());
        assertThat(execution.path("trigger").asString()).isEqualTo("WORKFLOW");
        assertThat(execution.path("workflowRunId").asLong()).isEqualTo(runId);
        assertThat(execution.path("workflowNode").asString()).isEqualTo("D");
    }

    /**
     * The transaction that records a node's end claims its successor for the replica that writes
     * it, so the successor's attempt starts at that transaction's moment, its upstream node's
     * {@code finishedAt}. A successor whose job forbids concurrent runs is left to the dispatcher's
     * own claim, a transaction later, which applies that policy.
     */
    @Test
    void a_ready_node_is_claimed_by_the_transaction_that_ends_its_upstream_node() {
        String forbid =
                createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"}, "concurrency": "FORBID",
                 "target": {"service": "%s", "path": "/forbid"}}""".formatted(unique("node-job"), SERVICE)).path("id").asString();
        String workflowId = createWorkflow("""
                {"name": "%s",
                 "nodes": [{"id": "A", "jobId": "%s"}, {"id": "B", "jobId": "%s"}, {"id": "C", "jobId": "%s"}],
                 "edges": [{"from": "A", "to": "B"}, {"from": "A", "to": "C"}]}""".formatted(unique("claimed"), job("/a"), job("/b"), forbid))
                .path("id")
                .asString();

        JsonNode run = awaitEnded(triggerRun(workflowId));

        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        Instant aEnded =
                Instant.parse(execution(node(run, "A").path("executionId").asLong())
                        .path("finishedAt")
                        .asString());
        JsonNode b = execution(node(run, "B").path("executionId").asLong());
        JsonNode c = execution(node(run, "C").path("executionId").asLong());
        assertThat(Instant.parse(b.path("startedAt").asString()))
                .as(b.toString())
                .isEqualTo(aEnded);
        assertThat(Instant.parse(c.path("startedAt").asString()))
                .as(c.toString())
                .isAfter(aEnded);
        assertThat(b.path("attempt").asInt()).isEqualTo(1);
        assertThat(c.path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void a_skip_cascades_down_the_graph_and_an_always_edge_still_runs_after_it() {
        String workflowId = createWorkflow(
                        """
                {"name": "%s",
                 "nodes": [{"id": "fail", "jobId": "%s"}, {"id": "next", "jobId": "%s"},
                           {"id": "after", "jobId": "%s"}, {"id": "cleanup", "jobId": "%s"}],
                 "edges": [{"from": "fail", "to": "next"}, {"from": "next", "to": "after"},
                           {"from": "after", "to": "cleanup", "on": "ALWAYS"}]}""".formatted(unique("cascade"), job("/fail"), job("/next"), job("/after"), job("/cleanup")))
                .path("id")
                .asString();

        JsonNode run = awaitEnded(triggerRun(workflowId));

        assertThat(run.path("nodes").findValuesAsString("status"))
                .containsExactly("FAILED", "SKIPPED", "SKIPPED", "SUCCEEDED");
        assertThat(run.path("status").asString()).isEqualTo("FAILED");
        assertThat(run.path("error").asString()).contains("fail");
        assertThat(json.readTree(callOf(run, "cleanup").body())
                        .path("upstream")
                        .path("after")
                        .isNull())
                .isTrue();
    }

    /**
     * Eight nodes whose workers accepted their calls (202) are reported all at once, each report
     * in a transaction of its own on a thread of its own: the last of them to commit must see the
     * others and start the fan-in, which runs once.
     */
    @Test
    void a_fan_in_runs_once_when_its_upstream_nodes_are_reported_at_the_same_moment() throws Exception {
        int width = 8;
        String accepting = job("/accept");
        StringBuilder nodes = new StringBuilder("{\"id\": \"join\", \"jobId\": \"" + job("/join") + "\"}");
        StringBuilder edges = new StringBuilder();
        for (int i = 0; i < width; i++) {
            nodes.append(", {\"id\": \"n")
                    .append(i)
                    .append("\", \"jobId\": \"")
                    .append(accepting)
                    .append("\"}");
            edges.append(i == 0 ? "" : ", ").append("{\"from\": \"n").append(i).append("\", \"to\": \"join\"}");
        }
        String workflowId = createWorkflow("""
                {"name": "%s", "nodes": [%s], "edges": [%s]}""".formatted(unique("fan-in"), nodes, edges))
                .path("id")
                .asString();
        ExecutorService reporters = Executors.newFixedThreadPool(width);
        try {
            for (int round = 0; round < 3; round++) {
                long runId = triggerRun(workflowId);
                List<TestWorker.Call> accepted = await().atMost(Duration.ofSeconds(20))
                        .until(
                                () -> worker.calls().stream()
                                        .filter(call -> Long.valueOf(runId).equals(call.workflowRun())
                                                && call.path().endsWith("/accept"))
                                        .toList(),
                                calls -> calls.size() == width);
                CyclicBarrier together = new CyclicBarrier(width);
                List<Future<Integer>> reports = new ArrayList<>();
                for (TestWorker.Call call : accepted) {
                    reports.add(reporters.submit(() -> {
                        together.await();
                        return http().send(
                                        "POST",
                                        "/api/v1/executions/" + call.executionId() + "/complete",
                                        TestApiKeys.WRITE,
                                        "{\"status\": \"SUCCEEDED\", \"attempt\": 1, \"result\": \"done\"}")
                                .status();
                    }));
                }
                for (Future<Integer> report : reports) {
                    assertThat(report.get()).isEqualTo(200);
                }

                JsonNode run = awaitEnded(runId);
                assertThat(run.path("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(node(run, "join").path("status").asString()).isEqualTo("SUCCEEDED");
                assertThat(json.readTree(callOf(run, "join").body())
                                .path("upstream")
                                .properties())
                        .hasSize(width);
                assertThat(jdbc.sql(
                                        "select count(*) from execution where workflow_run = :run and workflow_node = 'join'")
                                .param("run", runId)
                                .query(Long.class)
                                .single())
                        .isEqualTo(1);
            }
        } finally {
            reporters.shutdownNow();
        }
    }

    @Test
    void a_blocking_query_on_a_run_answers_when_a_node_changes_and_not_before() {
        String workflowId = createWorkflow("""
                {"name": "%s", "nodes": [{"id": "slow", "jobId": "%s"}, {"id": "then", "jobId": "%s"}],
                 "edges": [{"from": "slow", "to": "then"}]}""".formatted(unique("watched"), job("/slow"), job("/then")))
                .path("id")
                .asString();
        long runId = triggerRun(workflowId);
        JsonNode started = awaitRun(
                runId, run -> node(run, "slow").path("status").asString().equals("RUNNING"));
        TestHttp.Response now = http().get("/api/v1/workflow-runs/" + runId, TestApiKeys.READ);
        long index = Long.parseLong(now.header("X-Baton-Index"));

        long before = System.nanoTime();
        TestHttp.Response unchanged =
                http().get("/api/v1/workflow-runs/" + runId + "?index=" + index + "&wait=200ms", TestApiKeys.READ);
        assertThat((System.nanoTime() - before) / 1_000_000).isGreaterThanOrEqualTo(150);
        assertThat(unchanged.header("X-Baton-Index")).isEqualTo(String.valueOf(index));

        long asked = System.nanoTime();
        TestHttp.Response changed =
                http().get("/api/v1/workflow-runs/" + runId + "?index=" + index + "&wait=20s", TestApiKeys.READ);
        assertThat((System.nanoTime() - asked) / 1_000_000)
                .as("answered once the node changed, not when the wait ran out")
                .isLessThan(5_000);
        assertThat(Long.parseLong(changed.header("X-Baton-Index"))).isGreaterThan(index);
        assertThat(node(changed.json(), "slow").path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(node(started, "then").path("status").asString()).isEqualTo("PENDING");
        assertThat(http().get("/api/v1/workflow-runs/987654321?index=1&wait=1s", TestApiKeys.READ)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_scheduled_workflow_starts_its_run_by_itself_and_lists_it() {
        Instant at = Instant.now().plusMillis(500).truncatedTo(ChronoUnit.MILLIS);
        String workflowId = createWorkflow("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "%s"}, "nodes": [{"id": "only", "jobId": "%s"}]}""".formatted(unique("scheduled"), at, job("/only")))
                .path("id")
                .asString();

        JsonNode runs = awaitRuns(workflowId, 1);
        JsonNode run = awaitEnded(runs.get(0).path("id").asLong());

        assertThat(run.path("trigger").asString()).isEqualTo("SCHEDULE");
        assertThat(run.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(Instant.parse(run.path("scheduledAt").asString())).isEqualTo(at);
        assertThat(Instant.parse(run.path("startedAt").asString())).isAfterOrEqualTo(at);
        assertThat(runs.get(0).has("nodes")).isFalse();
    }

    @Test
    void forbid_skips_a_run_while_another_runs_and_replace_cancels_the_running_one() {
        String forbid = concurrent("FORBID");
        long first = triggerRun(forbid);
        awaitRun(first, run -> run.path("status").asString().equals("RUNNING"));
        JsonNode skipped = awaitEnded(triggerRun(forbid));
        assertThat(skipped.path("status").asString()).isEqualTo("SKIPPED");
        assertThat(skipped.path("error").asString()).contains("concurrency FORBID");
        assertThat(awaitEnded(first).path("status").asString()).isEqualTo("SUCCEEDED");

        String replace = concurrent("REPLACE");
        long replaced = triggerRun(replace);
        awaitRun(replaced, run -> node(run, "slow").path("status").asString().equals("RUNNING"));
        long replacing = triggerRun(replace);
        JsonNode cancelled = awaitEnded(replaced);
        assertThat(cancelled.path("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("nodes").findValuesAsString("status")).containsExactly("CANCELLED", "CANCELLED");
        assertThat(execution(node(cancelled, "slow").path("executionId").asLong())
                        .path("status")
                        .asString())
                .isEqualTo("CANCELLED");
        assertThat(awaitEnded(replacing).path("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_scheduled_run_found_late_is_skipped_by_its_misfire_policy_and_the_schedule_goes_on() {
        String workflowId = createWorkflow("""
                {"name": "%s", "schedule": {"type": "FIXED_RATE", "intervalMs": 600000, "startAt": "2099-01-01T00:00:00Z"},
                 "misfire": "SKIP", "nodes": [{"id": "only", "jobId": "%s"}]}""".formatted(unique("misfired"), job("/only")))
                .path("id")
                .asString();
        jdbc.sql("update workflow_run set scheduled_at = now() - interval '1 hour', due_at = now() - interval '1 hour' "
                        + "where workflow_id = :id")
                .param("id", UUID.fromString(workflowId))
                .update();
        triggerRun(workflowId);

        List<JsonNode> scheduled = StreamSupport.stream(awaitRuns(workflowId, 3).spliterator(), false)
                .filter(run -> run.path("trigger").asString().equals("SCHEDULE"))
                .toList();
        JsonNode misfired = scheduled.get(scheduled.size() - 1);
        assertThat(awaitEnded(misfired.path("id").asLong()).path("error").asString())
                .startsWith("misfired");
        assertThat(run(misfired.path("id").asLong()).path("status").asString()).isEqualTo("SKIPPED");
        assertThat(scheduled.get(0).path("status").asString()).isEqualTo("PENDING");
    }

    private String concurrent(String concurrency) {
        return createWorkflow("""
                {"name": "%s", "concurrency": "%s", "nodes": [{"id": "slow", "jobId": "%s"}, {"id": "then", "jobId": "%s"}],
                 "edges": [{"from": "slow", "to": "then"}]}""".formatted(unique("concurrent"), concurrency, job("/slow"), job("/then")))
                .path("id")
                .asString();
    }

    /** Waits until the workflow has at least {@code count} runs, and returns them, newest first. */
    private JsonNode awaitRuns(String workflowId, int count) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> http().get("/api/v1/workflows/" + workflowId + "/runs", TestApiKeys.READ)
                                .json()
                                .path("items"),
                        items -> items.size() >= count);
    }
}
