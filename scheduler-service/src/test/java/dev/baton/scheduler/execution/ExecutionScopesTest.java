package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.AcceptingWorkerTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import org.junit.jupiter.api.Test;

/**
 * A key's jobs scope is checked against the name of an execution's job on every execution route
 * and on a job's history: a worker's key reads and reports on the executions of its own jobs only.
 */
class ExecutionScopesTest extends AcceptingWorkerTest {

    private static void assertOutOfScope(TestHttp.Response response, String job, String what) {
        assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(403);
        assertThat(response.isProblem()).as(what).isTrue();
        assertThat(response.json().path("missingScope").path("kind").asString())
                .as(what)
                .isEqualTo("jobs");
        assertThat(response.json().path("missingScope").path("name").asString())
                .as(what)
                .isEqualTo(job);
    }

    @Test
    void a_key_scoped_to_billing_jobs_reads_and_reports_on_their_executions_only() throws Exception {
        String team = unique("t");
        String key = storeKey("{\"jobs\": [\"" + team + "-billing/\"]}");
        String orders = team + "-orders/x";
        String ordersJob = createJob(job(orders)).path("id").asString();
        String billingJob =
                createJob(job(team + "-billing/invoices")).path("id").asString();
        long foreign = trigger(ordersJob);
        long own = trigger(billingJob);
        awaitExecution(foreign, "RUNNING");
        awaitExecution(own, "RUNNING");

        assertOutOfScope(http().get("/api/v1/executions/" + foreign, key), orders, "read");
        assertOutOfScope(
                http().send("POST", "/api/v1/executions/" + foreign + "/heartbeat", key, "{\"attempt\": 1}"),
                orders,
                "heartbeat");
        assertOutOfScope(
                http().send(
                                "POST",
                                "/api/v1/executions/" + foreign + "/complete",
                                key,
                                "{\"status\": \"FAILED\", \"error\": \"not mine\", \"attempt\": 1}"),
                orders,
                "complete");
        assertOutOfScope(http().get("/api/v1/jobs/" + ordersJob + "/executions", key), orders, "history");
        assertOutOfScope(http().get("/api/v1/jobs/" + ordersJob + "/stats", key), orders, "stats");
        assertThat(execution(foreign).path("status").asString())
                .as("the refused report changed nothing")
                .isEqualTo("RUNNING");

        assertThat(http().get("/api/v1/executions/" + own, key).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/jobs/" + billingJob + "/executions", key).status())
                .isEqualTo(200);
        assertThat(http().get("/api/v1/jobs/" + billingJob + "/stats", key).status())
                .isEqualTo(200);
        assertThat(http().send("POST", "/api/v1/executions/" + own + "/heartbeat", key, "{\"attempt\": 1}")
                        .status())
                .isEqualTo(200);
        TestHttp.Response reported = http().send(
                        "POST",
                        "/api/v1/executions/" + own + "/complete",
                        key,
                        "{\"status\": \"SUCCEEDED\", \"result\": 1, \"attempt\": 1}");
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
        assertThat(execution(own).path("status").asString()).isEqualTo("SUCCEEDED");

        assertThat(http().send(
                                "POST",
                                "/api/v1/executions/" + foreign + "/complete",
                                TestApiKeys.WRITE,
                                "{\"status\": \"SUCCEEDED\", \"attempt\": 1}")
                        .status())
                .as("a key without scopes reports on any execution")
                .isEqualTo(200);
    }

    @Test
    void an_unknown_execution_is_still_a_404_and_a_bad_id_a_400_for_a_scoped_key() throws Exception {
        String key = storeKey("{\"jobs\": [\"" + unique("t") + "/\"]}");

        TestHttp.Response unknown = http().get("/api/v1/executions/" + Long.MAX_VALUE, key);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.isProblem()).isTrue();
        TestHttp.Response bad = http().send("POST", "/api/v1/executions/seven/complete", key, "{}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.isProblem()).isTrue();
    }
}
