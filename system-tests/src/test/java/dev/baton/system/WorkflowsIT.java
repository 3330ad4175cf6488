package dev.baton.system;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * No workflow node lost or run twice: runs of a workflow that fans out to many nodes, fans in, and
 * goes on as a chain, created and triggered through the gateway, run on a worker built with the
 * worker SDK while a scheduler replica is killed mid-run, when it holds node executions, and
 * started again. Every run succeeds with every node; every node of every run has exactly one
 * execution, the one its run names, which succeeded; the node executions run again are exactly
 * those the killed replica held; the worker saw every node's succeeded attempt, and no attempt twice.
 */
class WorkflowsIT {

    private static final int RUNS = Cluster.soak() ? 60 : 8;
    private static final int WIDTH = 16;
    private static final int DEPTH = 6;
    /** The root, the fan-out, the fan-in and the chain after it. */
    private static final int NODES = 1 + WIDTH + 1 + DEPTH;

    private final Cluster cluster = Cluster.get();
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    private JsonNode created(String path, String json) {
        TestHttp.Response response = cluster.http().send("POST", path, TestApiKeys.WRITE, json);
        if (response.status() != 201) {
            throw new AssertionError("POST " + path + " answered " + response.status() + ": " + response.body());
        }
        return response.json();
    }

    /** root to WIDTH nodes, all of them to join, then a chain of DEPTH nodes, every node running the job. */
    private String definition(String job) {
        List<String> nodes = new ArrayList<>(List.of("root", "join"));
        List<String> edges = new ArrayList<>();
        for (int i = 0; i < WIDTH; i++) {
            nodes.add("fan-" + i);
            edges.add("{\"from\": \"root\", \"to\": \"fan-" + i + "\"}");
            edges.add("{\"from\": \"fan-" + i + "\", \"to\": \"join\"}");
        }
        String previous = "join";
        for (int i = 0; i < DEPTH; i++) {
            nodes.add("chain-" + i);
            edges.add("{\"from\": \"" + previous + "\", \"to\": \"chain-" + i + "\"}");
            previous = "chain-" + i;
        }
        return """
                {"name": "workflow-%s", "nodes": [%s], "edges": [%s]}""".formatted(
                        run,
                        String.join(
                                ", ",
                                nodes.stream()
                                        .map(node -> "{\"id\": \"" + node + "\", \"jobId\": \"" + job + "\"}")
                                        .toList()),
                        String.join(", ", edges));
    }

    @Test
    void every_node_of_every_run_is_recorded_once_through_a_scheduler_replica_killed_mid_run() throws Exception {
        Report report = new Report("workflows");
        ConfigurableApplicationContext worker = SystemWorker.start(cluster);
        SystemWorker recorder = worker.getBean(SystemWorker.class);
        try {
            String job = created("/api/v1/jobs", """
                    {"name": "workflow-task-%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                     "target": {"service": "system-worker", "path": "/baton/tasks/record"}}""".formatted(run)).path("id").asString();
            String workflow =
                    created("/api/v1/workflows", definition(job)).path("id").asString();
            String ours = "(select id from scheduler.workflow_run where workflow_id = '" + workflow + "')";
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                TestHttp.Response triggered = cluster.http()
                        .send("POST", "/api/v1/workflows/" + workflow + "/trigger", TestApiKeys.WRITE, null);
                report.check(triggered.status() == 202, "run %d triggered (%d)", i, triggered.status());
                runs.add(triggered.json().path("runId").asLong());
            }
            report.did(
                    "%d runs of a workflow of %d nodes (a fan-out of %d, a fan-in, a chain of %d) triggered "
                            + "through the gateway",
                    RUNS, NODES, WIDTH, DEPTH);

            ServiceProcess victim = cluster.schedulers.get(1);
            String victimId = Cluster.pidOf(victim) + "@%";
            String heldByVictim = "select id from scheduler.execution where status = 'RUNNING' and replica like '"
                    + victimId + "' and workflow_run in " + ours;
            Cluster.awaitUntil(
                    Duration.ofMinutes(1),
                    "a third of the nodes finished while the replica to kill runs some",
                    () -> cluster.count("select count(*) from scheduler.execution where finished_at is not null "
                                            + "and workflow_run in " + ours)
                                    >= RUNS * NODES / 3
                            && !cluster.ids(heldByVictim).isEmpty());
            victim.kill();
            Set<Long> held = cluster.ids(heldByVictim);
            long unfinished = cluster.count("select count(*) from scheduler.workflow_run where finished_at is null "
                    + "and workflow_id = '" + workflow + "'");
            cluster.schedulers.set(1, cluster.start("scheduler-service", victim.port()));
            report.did(
                    "fault: SIGKILL to a scheduler replica holding %d node execution(s) it had claimed, with %d "
                            + "run(s) unfinished; then started again",
                    held.size(), unfinished);
            report.check(!held.isEmpty() && unfinished > 0, "the replica was killed mid-run");

            Cluster.awaitUntil(
                    Duration.ofMinutes(2),
                    "every run ended",
                    () -> cluster.count("select count(*) from scheduler.workflow_run where finished_at is null "
                                    + "and workflow_id = '" + workflow + "'")
                            == 0);

            int nodesSucceeded = 0;
            for (long id : runs) {
                JsonNode read = cluster.http()
                        .get("/api/v1/workflow-runs/" + id, TestApiKeys.READ)
                        .json();
                report.check(
                        read.path("status").asString().equals("SUCCEEDED"),
                        "run %d %s",
                        id,
                        read.path("status").asString());
                for (JsonNode node : read.path("nodes")) {
                    if (node.path("status").asString().equals("SUCCEEDED")
                            && node.path("executionId").isNumber()) {
                        nodesSucceeded++;
                    }
                }
            }
            report.check(
                    nodesSucceeded == RUNS * NODES,
                    "the API shows each of the %d nodes of the %d runs SUCCEEDED with its execution (%d did)",
                    NODES,
                    RUNS,
                    nodesSucceeded);
            report.check(
                    cluster.count("select count(*) from scheduler.execution where workflow_run in " + ours)
                                    == (long) RUNS * NODES
                            && cluster.count("select count(*) from (select 1 from scheduler.execution where "
                                            + "workflow_run in " + ours + " group by workflow_run, workflow_node "
                                            + "having count(*) <> 1) as twice")
                                    == 0,
                    "every node of every run has exactly one execution: %d in all",
                    RUNS * NODES);
            report.check(
                    cluster.count("select count(*) from scheduler.workflow_run_node n join scheduler.execution e "
                                    + "on e.id = n.execution_id and e.workflow_run = n.run_id and e.workflow_node = "
                                    + "n.node_id where e.status = 'SUCCEEDED' and n.run_id in " + ours)
                            == (long) RUNS * NODES,
                    "each node names its own execution, which succeeded");

            Map<Long, Integer> attempts = new HashMap<>();
            try (Connection connection = cluster.database().connect();
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "select id, attempt from scheduler.execution where workflow_run in " + ours)) {
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
                    recovered.equals(held) && held.stream().allMatch(id -> attempts.get(id) == 2),
                    "the node executions run again are exactly the %d the killed replica held, each at its "
                            + "second attempt (%d run again)",
                    held.size(),
                    recovered.size());

            Set<SystemWorker.Call> seen = new HashSet<>();
            for (SystemWorker.Call call : recorder.calls) {
                if (attempts.containsKey(call.executionId()) && !seen.add(call)) {
                    report.violation(
                            "the worker got execution %d attempt %d twice", call.executionId(), call.attempt());
                }
            }
            long missed = attempts.entrySet().stream()
                    .filter(entry -> !seen.contains(new SystemWorker.Call(entry.getKey(), entry.getValue())))
                    .count();
            report.check(
                    missed == 0, "the worker saw the succeeded attempt of every node's execution (%d missed)", missed);
        } finally {
            worker.close();
        }
        report.end();
    }
}
