package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Executions against three real worker instances of one service. */
class DispatchTest extends SchedulerTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    private String service;
    private List<TestWorker> workers;

    @BeforeEach
    void startWorkers() {
        service = unique("worker");
        workers = List.of(worker(service, "a"), worker(service, "b"), worker(service, "c"));
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(TestWorker::close);
    }

    private String job(String routing, String extra) {
        return createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/run", "body": {"n": 1}}, "routing": "%s" %s}""".formatted(unique(routing.toLowerCase()), service, routing, extra))
                .path("id")
                .asString();
    }

    /** Triggers the job n times and waits for every execution to be final. */
    private List<JsonNode> run(String jobId, int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(trigger(jobId));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream()
                        .map(this::execution)
                        .allMatch(execution -> Set.of("SUCCEEDED", "FAILED", "TIMED_OUT")
                                .contains(execution.path("status").asString())));
        return ids.stream().map(this::execution).toList();
    }

    private Map<String, Integer> callsPerWorker() {
        return workers.stream()
                .collect(Collectors.toMap(
                        TestWorker::instanceId, worker -> worker.calls().size()));
    }

    @Test
    void round_robin_spreads_executions_evenly() {
        List<JsonNode> done = run(job("ROUND_ROBIN", ""), 9);

        assertThat(done)
                .allMatch(execution -> execution.path("status").asString().equals("SUCCEEDED"));
        assertThat(callsPerWorker()).containsOnly(Map.entry("a", 3), Map.entry("b", 3), Map.entry("c", 3));
    }

    @Test
    void an_edited_job_runs_with_its_new_definition() {
        String name = unique("edited");
        String definition = """
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/run", "body": {"n": %d}}, "routing": "ROUND_ROBIN"}""";
        String jobId =
                createJob(definition.formatted(name, service, 1)).path("id").asString();
        run(jobId, 3);

        TestHttp.Response edited =
                http().send("PUT", "/api/v1/jobs/" + jobId, TestApiKeys.WRITE, definition.formatted(name, service, 2));
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        run(jobId, 3);

        List<String> bodies = workers.stream()
                .flatMap(worker -> worker.calls().stream())
                .sorted(Comparator.comparingLong(TestWorker.Call::executionId))
                .map(TestWorker.Call::body)
                .toList();
        assertThat(bodies)
                .containsExactly("{\"n\":1}", "{\"n\":1}", "{\"n\":1}", "{\"n\":2}", "{\"n\":2}", "{\"n\":2}");
    }

    @Test
    void random_reaches_every_instance() {
        run(job("RANDOM", ""), 60);

        assertThat(callsPerWorker().values()).allMatch(calls -> calls > 0);
        assertThat(callsPerWorker().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .isEqualTo(60);
    }

    @Test
    void consistent_hash_sends_one_routing_key_to_one_instance_and_keys_spread() {
        run(job("CONSISTENT_HASH", ", \"routingKey\": \"tenant-1\""), 10);
        assertThat(callsPerWorker().values()).containsExactlyInAnyOrder(10, 0, 0);

        for (int key = 0; key < 30; key++) {
            run(job("CONSISTENT_HASH", ", \"routingKey\": \"tenant-" + key + "\""), 1);
        }
        assertThat(callsPerWorker().values()).allMatch(calls -> calls > 0);
    }

    @Test
    void least_active_avoids_the_busy_instance() {
        workers.get(0).answerAfter(5000, "\"slow\"");
        String jobId = job("LEAST_ACTIVE", "");

        for (int i = 1; i <= 20; i++) {
            trigger(jobId);
            int arrived = i;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> callsPerWorker().values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum()
                            == arrived);
            TestWorker.pause(50);
        }

        assertThat(workers.get(0).calls())
                .as("the slow instance is busy after its first call")
                .hasSizeLessThanOrEqualTo(1);
        assertThat(workers.get(1).calls().size() + workers.get(2).calls().size())
                .isGreaterThanOrEqualTo(19);
    }

    @Test
    void failover_moves_to_the_next_instance_when_one_refuses() {
        workers.get(0).stopServing();
        workers.get(1).answer(call -> new TestWorker.Reply(503, "{\"detail\": \"draining\"}"));

        List<JsonNode> done = run(job("FAILOVER", ""), 3);

        assertThat(done)
                .allMatch(execution -> execution.path("status").asString().equals("SUCCEEDED"));
        assertThat(done)
                .allMatch(execution -> execution
                        .path("attempts")
                        .get(0)
                        .path("instanceId")
                        .asString()
                        .equals("c"));
        assertThat(workers.get(2).calls()).hasSize(3);
    }

    @Test
    void broadcast_calls_every_instance_and_gathers_their_results() {
        JsonNode done = run(job("BROADCAST", ""), 1).get(0);

        assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("result")).hasSize(3);
        assertThat(done.path("result").findValuesAsString("result")).containsExactlyInAnyOrder("ok a", "ok b", "ok c");
        assertThat(workers)
                .allMatch(worker ->
                        worker.calls().size() == 1 && worker.calls().get(0).shardTotal() == 3);
        assertThat(workers.stream().map(worker -> worker.calls().get(0).shardIndex()))
                .containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void sharded_spreads_the_shards_and_fails_when_one_fails() {
        workers.get(1).answer(call -> new TestWorker.Reply(500, "{\"detail\": \"disk full\"}"));

        JsonNode done = run(job("SHARDED", ", \"shards\": 6"), 1).get(0);

        assertThat(workers.stream().flatMap(worker -> worker.calls().stream()).map(TestWorker.Call::shardIndex))
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(workers)
                .allMatch(worker ->
                        worker.calls().size() == 2 && worker.calls().stream().allMatch(call -> call.shardTotal() == 6));
        assertThat(done.path("status").asString()).isEqualTo("FAILED");
        assertThat(done.path("error").asString()).startsWith("2 of 6 calls failed");
        assertThat(done.path("attempts")).hasSize(6);
    }

    @Test
    void a_failing_call_is_retried_with_backoff_until_it_succeeds() {
        workers.forEach(worker -> worker.answer(call ->
                call.attempt() < 3 ? new TestWorker.Reply(500, "\"no\"") : TestWorker.Reply.ok("\"third time\"")));

        JsonNode done = run(
                        job(
                                "ROUND_ROBIN",
                                ", \"retry\": {\"maxAttempts\": 5, \"backoffMs\": 200, \"multiplier\": 2.0}"),
                        1)
                .get(0);

        assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("attempt").asInt()).isEqualTo(3);
        assertThat(done.path("failures").asInt()).isEqualTo(2);
        List<TestWorker.Call> calls = workers.stream()
                .flatMap(worker -> worker.calls().stream())
                .sorted((x, y) -> Integer.compare(x.attempt(), y.attempt()))
                .toList();
        assertThat(Duration.between(calls.get(0).receivedAt(), calls.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Duration.between(calls.get(1).receivedAt(), calls.get(2).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void a_call_without_an_answer_in_time_times_out() {
        workers.forEach(worker -> worker.answerAfter(2000, "\"late\""));

        JsonNode done = run(job("RANDOM", ", \"timeoutMs\": 300"), 1).get(0);

        assertThat(done.path("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(done.path("error").asString()).contains("300 ms");
    }

    @Test
    void a_worker_that_accepts_reports_later_and_heartbeats_keep_it_alive() {
        List<CompletableFuture<Void>> reports = new CopyOnWriteArrayList<>();
        workers.forEach(worker -> worker.answer(call -> {
            reports.add(CompletableFuture.runAsync(() -> {
                for (int beat = 0; beat < 4; beat++) {
                    TestWorker.pause(250);
                    assertThat(http().send(
                                            "POST",
                                            "/api/v1/executions/" + call.executionId() + "/heartbeat",
                                            TestApiKeys.WRITE,
                                            "{\"attempt\": " + call.attempt() + "}")
                                    .status())
                            .isEqualTo(200);
                }
                assertThat(http().send(
                                        "POST",
                                        "/api/v1/executions/" + call.executionId() + "/complete",
                                        TestApiKeys.WRITE,
                                        "{\"status\": \"SUCCEEDED\", \"result\": {\"rows\": 7}, \"attempt\": "
                                                + call.attempt() + "}")
                                .status())
                        .isEqualTo(200);
            }));
            return new TestWorker.Reply(202, null);
        }));

        JsonNode done = run(job("ROUND_ROBIN", ", \"timeoutMs\": 600"), 1).get(0);

        assertThat(reports).hasSize(1);
        reports.forEach(report -> report.orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("result").path("rows").asInt()).isEqualTo(7);
        assertThat(http().send(
                                "POST",
                                "/api/v1/executions/" + done.path("id").asLong() + "/complete",
                                TestApiKeys.WRITE,
                                "{\"status\": \"FAILED\", \"attempt\": 1}")
                        .status())
                .isEqualTo(409);
        assertThat(http().send(
                                "POST",
                                "/api/v1/executions/" + done.path("id").asLong() + "/heartbeat",
                                TestApiKeys.WRITE,
                                null)
                        .status())
                .isEqualTo(410);
    }

    @Test
    void a_report_settles_only_the_attempt_it_names() {
        workers.forEach(worker -> worker.answer(
                call -> call.attempt() == 1 ? new TestWorker.Reply(500, "\"no\"") : new TestWorker.Reply(202, null)));
        String jobId = job("ROUND_ROBIN", ", \"retry\": {\"maxAttempts\": 2, \"backoffMs\": 100}");
        long id = trigger(jobId);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    JsonNode execution = execution(id);
                    return execution.path("attempt").asInt() == 2
                            && execution
                                    .path("attempts")
                                    .findValuesAsString("status")
                                    .contains("ACCEPTED");
                });
        String path = "/api/v1/executions/" + id + "/complete";

        TestHttp.Response unnamed = http().send("POST", path, TestApiKeys.WRITE, "{\"status\": \"FAILED\"}");
        TestHttp.Response earlier =
                http().send("POST", path, TestApiKeys.WRITE, "{\"status\": \"FAILED\", \"attempt\": 1}");

        assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(400);
        assertThat(unnamed.isProblem()).isTrue();
        assertThat(unnamed.json().path("errors").findValuesAsString("field")).containsExactly("attempt");
        assertThat(earlier.status()).as(earlier.body()).isEqualTo(409);
        assertThat(earlier.isProblem()).isTrue();
        assertThat(execution(id).path("status").asString()).isEqualTo("RUNNING");

        TestHttp.Response current = http().send(
                        "POST",
                        path,
                        TestApiKeys.WRITE,
                        "{\"status\": \"SUCCEEDED\", \"result\": \"second\", \"attempt\": 2}");

        assertThat(current.status()).as(current.body()).isEqualTo(200);
        JsonNode done = execution(id);
        assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("attempt").asInt()).isEqualTo(2);
        assertThat(done.path("result").asString()).isEqualTo("second");
    }

    @Test
    void a_call_that_throws_before_it_is_sent_fails_its_attempt_and_gives_back_its_room() {
        String jobId = job("ROUND_ROBIN", "");
        jdbc.sql("update job set definition = jsonb_set(definition, '{target,path}', '\"/not|a|path\"') where id = ?")
                .param(UUID.fromString(jobId))
                .update();
        Gauge inFlight = meters.get("baton.scheduler.executions.in-flight").gauge();
        await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.value() == 0);

        List<JsonNode> done = run(jobId, 3);

        assertThat(done)
                .allMatch(execution -> execution.path("status").asString().equals("FAILED"));
        assertThat(done)
                .allMatch(execution -> execution.path("error").asString().contains("Illegal character"));
        assertThat(callsPerWorker().values()).containsOnly(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.value() == 0);
    }

    @Test
    void an_accepted_call_without_a_report_times_out() {
        workers.forEach(worker -> worker.answer(call -> new TestWorker.Reply(202, null)));

        JsonNode done = run(job("ROUND_ROBIN", ", \"timeoutMs\": 300"), 1).get(0);

        assertThat(done.path("status").asString()).isEqualTo("TIMED_OUT");
        assertThat(done.path("attempts").get(0).path("status").asString()).isEqualTo("TIMED_OUT");
    }

    @Test
    void a_large_result_is_cut_to_the_size_limit() {
        String big = "\"" + "x".repeat(200_000) + "\"";
        workers.forEach(worker -> worker.answer(call -> TestWorker.Reply.ok(big)));

        JsonNode done = run(job("RANDOM", ""), 1).get(0);

        assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("result").asString().length()).isEqualTo(64 * 1024);
    }
}
