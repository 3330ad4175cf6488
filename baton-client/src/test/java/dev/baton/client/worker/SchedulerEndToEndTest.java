package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A worker built with the SDK, the registry and the scheduler, each as users run them (the
 * services as their own processes): a job targets the worker's service by name, and its tasks
 * run, now and later.
 */
class SchedulerEndToEndTest {

    private static final String SERVICE =
            "billing-" + UUID.randomUUID().toString().substring(0, 6);

    private static ServiceProcess registry;
    private static ServiceProcess scheduler;
    private static ConfigurableApplicationContext worker;

    @BeforeAll
    static void start() {
        registry = ServiceProcess.start("registry");
        scheduler = ServiceProcess.start(
                "scheduler-service",
                "baton.discovery.url=" + registry.url(),
                "baton.discovery.api-key=" + TestApiKeys.WRITE,
                "baton.discovery.register=false");
        worker = new SpringApplicationBuilder(WorkerApplication.class)
                .run(
                        "--" + WorkerApplication.OWN_CONFIG,
                        "--" + TestWorkers.WORKER_SIGNING,
                        "--server.port=0",
                        "--spring.application.name=" + SERVICE,
                        "--baton.discovery.url=" + registry.url(),
                        "--baton.discovery.api-key=" + TestApiKeys.WRITE,
                        "--baton.discovery.host=localhost",
                        "--baton.worker.scheduler-url=" + scheduler.url(),
                        "--baton.worker.heartbeat-interval=200ms");
    }

    @AfterAll
    static void stop() {
        worker.close();
        scheduler.close();
        registry.close();
    }

    private static long runJob(String task, String body) {
        return runJob(task, body, 2000);
    }

    private static long runJob(String task, String body, long timeoutMs) {
        TestHttp http = scheduler.http();
        TestHttp.Response job = http.send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                {"name": "%s-%s", "schedule": {"type": "ONCE", "at": "%s"},
                 "target": {"service": "%s", "path": "/baton/tasks/%s", "body": %s}, "timeoutMs": %d}""".formatted(
                        task, UUID.randomUUID(), Instant.now(), SERVICE, task, body, timeoutMs));
        assertThat(job.status()).as(job.body()).isEqualTo(201);
        String id = job.json().path("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode items = http.get("/api/v1/jobs/" + id + "/executions", TestApiKeys.READ)
                    .json()
                    .path("items");
            if (!items.isEmpty() && !items.get(0).path("status").asString().equals("PENDING")) {
                return items.get(0).path("id").asLong();
            }
            sleep(50);
        }
        throw new AssertionError("The job's execution was not claimed");
    }

    private static JsonNode awaitFinal(long execution) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode found = scheduler
                    .http()
                    .get("/api/v1/executions/" + execution, TestApiKeys.READ)
                    .json();
            if (!found.path("finishedAt").isNull()) {
                return found;
            }
            sleep(50);
        }
        throw new AssertionError("Execution " + execution + " did not finish");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void a_job_runs_a_task_of_a_worker_found_by_its_service_name() {
        JsonNode execution = awaitFinal(runJob("charge", "{\"customer\": \"cy\", \"cents\": 5}"));

        assertThat(execution.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("result").path("note").asString()).isEqualTo("charged");
        assertThat(worker.getBean(WorkerApplication.BillingTasks.class).charges.get())
                .isPositive();
    }

    @Test
    void a_task_that_completes_later_heartbeats_past_the_timeout_and_reports_its_result() {
        long id = runJob("settle", "{\"customer\": \"ada\", \"cents\": 12}");
        WorkerApplication.BillingTasks tasks = worker.getBean(WorkerApplication.BillingTasks.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!tasks.settlements.containsKey(id) && System.nanoTime() < deadline) {
            sleep(20);
        }
        sleep(3000);
        assertThat(scheduler
                        .http()
                        .get("/api/v1/executions/" + id, TestApiKeys.READ)
                        .json()
                        .path("status")
                        .asString())
                .as("heartbeats keep it running past its 2 s timeout")
                .isEqualTo("RUNNING");

        tasks.settlements.get(id).complete("settled");
        JsonNode execution = awaitFinal(id);

        assertThat(execution.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(execution.path("result").path("note").asString()).isEqualTo("settled");
        assertThat(execution.path("attempts").get(0).path("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void a_task_that_throws_fails_its_execution_with_the_message() {
        JsonNode execution = awaitFinal(runJob("close-ledger", "null"));

        assertThat(execution.path("status").asString()).isEqualTo("FAILED");
        assertThat(execution.path("error").asString()).contains("is closed");
    }

    @Test
    void a_tasks_log_is_followed_live_in_order_with_its_attempt_and_is_whole_when_the_execution_ends() {
        long id = runJob("count", "{\"lines\": 20, \"everyMs\": 150}", 20_000);
        List<JsonNode> lines = new ArrayList<>();
        int answersWhileRunning = 0;
        long cursor = 0;
        String blocking = "";
        boolean finished = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!finished) {
            assertThat(System.nanoTime()).as("the log ends with its execution").isLessThan(deadline);
            TestHttp.Response answer = scheduler
                    .http()
                    .get("/api/v1/executions/" + id + "/log?cursor=" + cursor + blocking, TestApiKeys.READ);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode page = answer.json();
            page.path("items").forEach(lines::add);
            finished = page.path("finished").asBoolean();
            if (!finished && !page.path("items").isEmpty()) {
                answersWhileRunning++;
            }
            long index = Long.parseLong(answer.header("X-Baton-Index"));
            boolean more = !page.path("nextCursor").isNull();
            cursor = more ? page.path("nextCursor").asLong() : index;
            blocking = more ? "" : "&index=" + index + "&wait=10s";
        }

        assertThat(lines.stream().map(line -> line.path("text").asString()))
                .as("every line, in order, the last one too: the worker sent them before it answered")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 20)
                        .mapToObj(i -> "line " + i + " of 20")
                        .toList());
        assertThat(lines.stream().map(line -> line.path("seq").asLong()))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
        assertThat(lines)
                .allSatisfy(line -> assertThat(line.path("attempt").asInt()).isEqualTo(1));
        assertThat(answersWhileRunning)
                .as("lines arrived while the task ran, batch after batch")
                .isGreaterThanOrEqualTo(2);
        assertThat(awaitFinal(id).path("status").asString()).isEqualTo("SUCCEEDED");
    }
}
