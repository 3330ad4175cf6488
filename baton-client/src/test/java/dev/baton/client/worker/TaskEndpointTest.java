package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.signing.CallSignature;
import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Tasks called over real HTTP as the scheduler calls them: results, context, and problems; and
 * calls the scheduler did not sign, or signed once and were sent again, refused.
 */
@SpringBootTest(
        classes = WorkerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {WorkerApplication.OWN_CONFIG, TestWorkers.WORKER_SIGNING})
class TaskEndpointTest extends RunningWorker {

    private static final String INVOICE = "{\"customer\":\"ada\",\"cents\":700}";

    private static final FakeScheduler scheduler = FakeScheduler.start();

    @DynamicPropertySource
    static void worker(DynamicPropertyRegistry registry) {
        registry.add("baton.worker.scheduler-url", scheduler::url);
    }

    @AfterAll
    static void stopScheduler() {
        scheduler.close();
    }

    @Test
    void a_task_binds_its_record_payload_and_answers_its_result_as_json() {
        TestHttp.Response response =
                Dispatch.task(http, "/baton/tasks/charge", "{\"customer\":\"ada\",\"cents\":1250}", 7, 1, 0, 1);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode receipt = response.json();
        assertThat(receipt.path("customer").asString()).isEqualTo("ada");
        assertThat(receipt.path("cents").asInt()).isEqualTo(1250);
        assertThat(receipt.path("note").asString()).isEqualTo("charged");
    }

    @Test
    void the_x_baton_headers_become_the_task_context_in_whichever_parameter_order() {
        long beyondDoublePrecision = 9_007_199_254_740_993L;
        TestHttp.Response response = Dispatch.task(
                http, "/baton/tasks/describe", "{\"lines\":[1,2],\"final\":true}", beyondDoublePrecision, 3, 2, 4);

        assertThat(response.status()).isEqualTo(200);
        JsonNode described = response.json();
        assertThat(described.path("executionId").asLong()).isEqualTo(beyondDoublePrecision);
        assertThat(described.path("attempt").asInt()).isEqualTo(3);
        assertThat(described.path("shardIndex").asInt()).isEqualTo(2);
        assertThat(described.path("shardTotal").asInt()).isEqualTo(4);
        assertThat(described.path("scheduledAt").asString()).isEqualTo("2026-03-01T09:15:30Z");
        assertThat(described.path("payload").path("lines").get(1).asInt()).isEqualTo(2);
        assertThat(described.path("payload").path("final").asBoolean()).isTrue();
    }

    @Test
    void a_task_without_parameters_or_result_answers_200_without_a_body() {
        TestHttp.Response response = Dispatch.task(http, "/baton/tasks/noop", null, 8, 1, 0, 1);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void a_task_that_throws_is_a_500_problem_with_its_message() {
        TestHttp.Response response = Dispatch.task(http, "/baton/tasks/close-ledger", "{}", 41, 2, 0, 1);

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("detail").asString()).isEqualTo("the ledger of execution 41 is closed");
        assertThat(response.json().path("instance").asString()).isEqualTo("/baton/tasks/close-ledger");
    }

    @Test
    void an_unknown_task_is_a_404_problem() {
        TestHttp.Response response = Dispatch.task(http, "/baton/tasks/refund", "{}", 9, 1, 0, 1);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("detail").asString()).contains("'refund'");
    }

    @Test
    void a_body_that_does_not_bind_to_the_payload_is_a_400_problem_and_the_task_does_not_run() {
        int charges = tasks.charges.get();
        int attempt = 0;
        for (String body : List.of("{\"customer\":\"ada\",", "{\"customer\":\"ada\",\"cents\":\"many\"}")) {
            TestHttp.Response response = Dispatch.task(http, "/baton/tasks/charge", body, 10, ++attempt, 0, 1);

            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.isProblem()).as(body).isTrue();
            assertThat(response.json().path("detail").asString()).as(body).contains("Invoice");
        }
        assertThat(tasks.charges.get()).isEqualTo(charges);
    }

    @Test
    void missing_or_garbled_execution_headers_are_a_400_validation_problem_naming_each() {
        int charges = tasks.charges.get();
        String invoice = "{\"customer\":\"ada\",\"cents\":1}";
        Map<String, String> garbled = new LinkedHashMap<>();
        garbled.put(CallSignature.EXECUTION_ID, "twelve");
        garbled.put(CallSignature.SHARD_INDEX, "4");
        garbled.put(CallSignature.SHARD_TOTAL, "4");
        garbled.put(CallSignature.SCHEDULED_AT, "yesterday");
        TestHttp.Response response = Dispatch.call(
                http, "/baton/tasks/charge", invoice, invoice, garbled, TestWorkers.SIGNING_SECRET, Instant.now());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        JsonNode problem = response.json();
        assertThat(problem.path("type").asString()).isEqualTo("urn:baton:problem:validation");
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.path("field").asString()));
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        CallSignature.EXECUTION_ID,
                        CallSignature.ATTEMPT,
                        CallSignature.SCHEDULED_AT,
                        CallSignature.SHARD_INDEX);

        TestHttp.Response zeroAttempt = Dispatch.task(http, "/baton/tasks/charge", invoice, 11, 0, 0, 1);
        assertThat(zeroAttempt.status()).isEqualTo(400);
        assertThat(zeroAttempt.json().path("errors").get(0).path("field").asString())
                .isEqualTo(CallSignature.ATTEMPT);
        assertThat(tasks.charges.get()).isEqualTo(charges);
    }

    @Test
    void a_correctly_signed_call_is_taken_once_and_its_replay_is_a_401_problem() {
        int charges = tasks.charges.get();
        Map<String, String> attempt = Dispatch.execution(601, 1, 0, 1);

        assertThat(Dispatch.call(
                                http,
                                "/baton/tasks/charge",
                                INVOICE,
                                INVOICE,
                                attempt,
                                TestWorkers.SIGNING_SECRET,
                                Instant.now())
                        .status())
                .isEqualTo(200);
        TestHttp.Response replay = Dispatch.call(
                http,
                "/baton/tasks/charge",
                INVOICE,
                INVOICE,
                attempt,
                TestWorkers.SIGNING_SECRET,
                Instant.now().plusSeconds(1));

        assertUnauthorized(replay, "was delivered before");
        assertThat(tasks.charges.get()).isEqualTo(charges + 1);
        assertThat(Dispatch.call(
                                http,
                                "/baton/tasks/charge",
                                INVOICE,
                                INVOICE,
                                Dispatch.execution(601, 2, 0, 1),
                                TestWorkers.SIGNING_SECRET,
                                Instant.now())
                        .status())
                .as("the next attempt")
                .isEqualTo(200);
        assertThat(Dispatch.call(
                                http,
                                "/baton/tasks/charge",
                                INVOICE,
                                INVOICE,
                                Dispatch.execution(601, 2, 1, 2),
                                TestWorkers.SIGNING_SECRET,
                                Instant.now())
                        .status())
                .as("another shard")
                .isEqualTo(200);
    }

    @Test
    void a_tampered_body_a_wrong_secret_a_stale_timestamp_or_no_signature_is_a_401_problem_and_nothing_runs() {
        int charges = tasks.charges.get();
        String tampered = "{\"customer\":\"eve\",\"cents\":1}";

        assertUnauthorized(
                Dispatch.call(
                        http,
                        "/baton/tasks/charge",
                        INVOICE,
                        tampered,
                        Dispatch.execution(602, 1, 0, 1),
                        TestWorkers.SIGNING_SECRET,
                        Instant.now()),
                "does not match");
        assertUnauthorized(
                Dispatch.call(
                        http,
                        "/baton/tasks/charge",
                        INVOICE,
                        INVOICE,
                        Dispatch.execution(603, 1, 0, 1),
                        "another-secret-0123456789abcdefghij",
                        Instant.now()),
                "does not match");
        assertUnauthorized(
                Dispatch.call(
                        http,
                        "/baton/tasks/charge",
                        INVOICE,
                        INVOICE,
                        Dispatch.execution(604, 1, 0, 1),
                        TestWorkers.SIGNING_SECRET,
                        Instant.now().minus(Duration.ofMinutes(5)).minusSeconds(2)),
                "more than 5 minutes");
        TestHttp.Response unsigned = http.send(http.request("/baton/tasks/charge")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INVOICE))
                .build());
        assertUnauthorized(unsigned, "X-Baton-Timestamp is missing");
        assertUnauthorized(
                Dispatch.call(
                        http,
                        "/baton/tasks/refund",
                        INVOICE,
                        INVOICE,
                        Dispatch.execution(605, 1, 0, 1),
                        "another-secret-0123456789abcdefghij",
                        Instant.now()),
                "does not match");

        assertThat(tasks.charges.get()).isEqualTo(charges);
    }

    private static void assertUnauthorized(TestHttp.Response response, String reason) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("detail").asString()).contains(reason);
    }
}
