package dev.baton.scheduler.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.TestWorker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A replica with room for two executions at once: the transaction that ends a node claims its
 * successors only as far as that room allows, and the dispatch loop claims the rest as room frees.
 */
@TestPropertySource(properties = "baton.scheduler.max-in-flight=2")
class WorkflowRoomTest extends WorkflowTest {

    private static final String BUSY = unique("busy-worker");
    private static final AtomicInteger running = new AtomicInteger();
    private static final AtomicInteger most = new AtomicInteger();
    private static TestWorker busy;

    /** A worker that takes 500 ms per call and counts the most calls it had at once. */
    @BeforeAll
    static void startBusyWorker() {
        busy = TestWorker.start(registry().url(), BUSY, "b1", call -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                TestWorker.pause(500);
                return TestWorker.Reply.ok("\"done\"");
            } finally {
                running.decrementAndGet();
            }
        });
    }

    @AfterAll
    static void stopBusyWorker() {
        busy.close();
    }

    private String busyJob() {
        return createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/work"}}""".formatted(unique("busy-job"), BUSY)).path("id").asString();
    }

    @Test
    void a_fan_out_wider_than_the_room_runs_two_at_a_time() {
        String workflowId = createWorkflow(
                        """
                {"name": "%s",
                 "nodes": [{"id": "root", "jobId": "%s"}, {"id": "n1", "jobId": "%s"}, {"id": "n2", "jobId": "%s"},
                           {"id": "n3", "jobId": "%s"}, {"id": "n4", "jobId": "%s"}],
                 "edges": [{"from": "root", "to": "n1"}, {"from": "root", "to": "n2"},
                           {"from": "root", "to": "n3"}, {"from": "root", "to": "n4"}]}""".formatted(unique("room"), busyJob(), busyJob(), busyJob(), busyJob(), busyJob()))
                .path("id")
                .asString();

        JsonNode run = awaitEnded(triggerRun(workflowId));

        assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("nodes").findValuesAsString("status")).containsOnly("SUCCEEDED");
        assertThat(busy.calls()).hasSize(5);
        assertThat(most.get()).as("the most calls the worker had at once").isEqualTo(2);
    }
}
