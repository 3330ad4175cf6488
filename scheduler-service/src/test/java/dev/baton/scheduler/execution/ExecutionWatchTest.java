package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.AcceptingWorkerTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A job's executions are a blocking query that answers at each transition of any of them, and
 * only of them; the suite's summary counts executions per minute by status within a key's jobs
 * scope, and is a blocking query on every execution.
 */
class ExecutionWatchTest extends AcceptingWorkerTest {

    private TestHttp.Response executions(String job, long index, String wait) {
        return http().get("/api/v1/jobs/" + job + "/executions?index=" + index + "&wait=" + wait, TestApiKeys.READ);
    }

    private static long index(TestHttp.Response response) {
        return Long.parseLong(response.header("X-Baton-Index"));
    }

    /** Asks the blocking query in the background, and returns when it answered with how long it took. */
    private CompletableFuture<Timed> watch(String job, long index) {
        return CompletableFuture.supplyAsync(() -> {
            Instant asked = Instant.now();
            TestHttp.Response response = executions(job, index, "20s");
            return new Timed(response, Duration.between(asked, Instant.now()));
        });
    }

    private record Timed(TestHttp.Response response, Duration took) {}

    @Test
    void a_jobs_executions_answer_a_blocking_query_at_each_transition_and_not_at_another_jobs() throws Exception {
        String job = createJob(job(unique("watched"))).path("id").asString();
        String other = createJob(job(unique("quiet"))).path("id").asString();
        TestHttp.Response first = executions(job, 0, "0s");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        long start = index(first);
        long otherStart = index(executions(other, 0, "0s"));

        CompletableFuture<Timed> added = watch(job, start);
        CompletableFuture<TestHttp.Response> quiet =
                CompletableFuture.supplyAsync(() -> executions(other, otherStart, "3s"));
        Thread.sleep(500);
        assertThat(added).as("nothing changed yet").isNotDone();
        long execution = trigger(job);
        Timed seen = added.get();
        assertThat(seen.took())
                .as("answered at the trigger, not at the wait's end")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(index(seen.response())).isGreaterThan(start);
        assertThat(seen.response().json().path("items").path(0).path("id").asLong())
                .isEqualTo(execution);

        awaitExecution(execution, "RUNNING");
        long running = index(executions(job, 0, "0s"));
        CompletableFuture<Timed> finished = watch(job, running);
        Thread.sleep(500);
        assertThat(finished).as("nothing changed since RUNNING").isNotDone();
        TestHttp.Response reported = http().send(
                        "POST",
                        "/api/v1/executions/" + execution + "/complete",
                        TestApiKeys.WRITE,
                        "{\"status\": \"SUCCEEDED\", \"result\": 1, \"attempt\": 1}");
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
        Timed done = finished.get();
        assertThat(done.took()).isLessThan(Duration.ofSeconds(10));
        assertThat(index(done.response())).isGreaterThan(running);
        assertThat(done.response().json().path("items").path(0).path("status").asString())
                .isEqualTo("SUCCEEDED");

        TestHttp.Response untouched = quiet.get();
        assertThat(untouched.status()).isEqualTo(200);
        assertThat(index(untouched)).as("another job's index did not move").isEqualTo(otherStart);
    }

    @Test
    void the_summary_counts_each_minutes_executions_by_status_within_the_keys_jobs_scope() throws Exception {
        String team = unique("sum");
        String key = storeKey("{\"jobs\": [\"" + team + "-a/\"]}");
        String own = createJob(job(team + "-a/report")).path("id").asString();
        String foreign = createJob(job(team + "-b/report")).path("id").asString();
        long succeeded = trigger(own);
        long failed = trigger(own);
        long hidden = trigger(foreign);
        long running = trigger(own);
        for (long id : new long[] {succeeded, failed, hidden, running}) {
            awaitExecution(id, "RUNNING");
        }
        TestHttp.Response before = http().get("/api/v1/executions/summary", key);
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        CompletableFuture<TestHttp.Response> watched = CompletableFuture.supplyAsync(
                () -> http().get("/api/v1/executions/summary?index=" + index(before) + "&wait=20s", key));
        report(succeeded, "SUCCEEDED");
        report(failed, "FAILED");
        report(hidden, "FAILED");
        TestHttp.Response woken = watched.get();
        assertThat(index(woken)).as("a change woke the summary").isGreaterThan(index(before));

        JsonNode summary = http().get("/api/v1/executions/summary", key).json();
        assertThat(summary.path("running").asLong()).isEqualTo(1);
        assertThat(summary.path("failedLastHour").asLong()).isEqualTo(1);
        JsonNode minutes = summary.path("perMinute");
        assertThat(minutes.size()).as("an hour of minutes").isBetween(60, 61);
        long ended = 0;
        long endedFailed = 0;
        for (JsonNode minute : minutes) {
            ended += minute.path("counts").path("SUCCEEDED").asLong();
            endedFailed += minute.path("counts").path("FAILED").asLong();
        }
        assertThat(ended).isEqualTo(1);
        assertThat(endedFailed).as("the other team's failure is out of reach").isEqualTo(1);

        JsonNode everything =
                http().get("/api/v1/executions/summary", TestApiKeys.READ).json();
        assertThat(everything.path("failedLastHour").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void a_summary_since_no_time_or_outside_the_last_day_is_a_400_naming_since() {
        for (String since : new String[] {
            "yesterday",
            Instant.now().plus(Duration.ofHours(1)).toString(),
            Instant.now().minus(Duration.ofHours(25)).toString()
        }) {
            TestHttp.Response refused = http().get("/api/v1/executions/summary?since=" + since, TestApiKeys.READ);
            assertThat(refused.status()).as(since).isEqualTo(400);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.json().path("errors").path(0).path("field").asString())
                    .isEqualTo("since");
        }
        TestHttp.Response tenMinutes = http().get(
                        "/api/v1/executions/summary?since=" + Instant.now().minus(Duration.ofMinutes(10)),
                        TestApiKeys.READ);
        assertThat(tenMinutes.status()).isEqualTo(200);
        assertThat(tenMinutes.json().path("perMinute").size()).isBetween(10, 11);
    }
}
