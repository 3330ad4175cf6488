package dev.baton.scheduler.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.AcceptingWorkerTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * An execution's log through the API, on executions whose worker accepted the call and never
 * reports: lines in order with their attempt and shard, a blocking query that follows them, the
 * cap of an attempt's log (4KB in these tests), bad input, keys and scopes, and retention.
 */
class ExecutionLogTest extends AcceptingWorkerTest {

    @Autowired
    JdbcClient database;

    @Autowired
    LogRetention retention;

    /** A running execution of a new job, whose retry is due at once after a failure. */
    private long running() {
        String job =
                createJob("""
                {"name": "%s", "schedule": {"type": "CRON", "cron": "0 0 2 1 1 *", "zone": "UTC"},
                 "target": {"service": "%s", "path": "/tasks/report"}, "timeoutMs": 60000,
                 "retry": {"maxAttempts": 3, "backoffMs": 0}}""".formatted(unique("logged"), SERVICE)).path("id").asString();
        long id = trigger(job);
        awaitExecution(id, "RUNNING");
        return id;
    }

    private TestHttp.Response post(long id, String key, String body) {
        return http().send("POST", "/api/v1/executions/" + id + "/log", key, body);
    }

    private JsonNode postOk(long id, String body) {
        TestHttp.Response response = post(id, TestApiKeys.WRITE, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private TestHttp.Response read(long id, String query) {
        return http().get("/api/v1/executions/" + id + "/log" + query, TestApiKeys.READ);
    }

    private static long index(TestHttp.Response response) {
        return Long.parseLong(response.header("X-Baton-Index"));
    }

    private static List<String> texts(JsonNode page) {
        return page.path("items")
                .valueStream()
                .map(line -> line.path("text").asString())
                .toList();
    }

    /** Follows the log past {@code seen} in the background; the answer must come well before the 20 s wait ends. */
    private CompletableFuture<TestHttp.Response> follow(long id, long seen) {
        return CompletableFuture.supplyAsync(() -> {
            Instant asked = Instant.now();
            TestHttp.Response response = read(id, "?cursor=" + seen + "&index=" + seen + "&wait=20s");
            assertThat(Duration.between(asked, Instant.now()))
                    .as("answered at the change, not at the wait's end")
                    .isLessThan(Duration.ofSeconds(10));
            return response;
        });
    }

    @Test
    void lines_are_read_in_order_with_their_attempt_and_a_follower_is_answered_at_the_next_batch_and_at_the_end()
            throws Exception {
        long id = running();
        JsonNode taken = postOk(id, """
                {"attempt": 1, "lines": [{"at": "2026-12-07T10:00:00.123Z", "text": "one"}, {"text": "two"}]}""");
        assertThat(taken.path("accepted").asInt()).isEqualTo(2);
        assertThat(taken.path("dropped").asInt()).isZero();

        TestHttp.Response first = read(id, "");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode page = first.json();
        assertThat(texts(page)).containsExactly("one", "two");
        JsonNode one = page.path("items").get(0);
        assertThat(one.path("seq").asLong()).isEqualTo(1);
        assertThat(one.path("attempt").asInt()).isEqualTo(1);
        assertThat(one.path("shardIndex").asInt()).isZero();
        assertThat(one.path("kind").asString()).isEqualTo("LINE");
        assertThat(one.path("at").asString()).isEqualTo("2026-12-07T10:00:00.123Z");
        assertThat(page.path("items").get(1).path("at").isNull()).isFalse();
        assertThat(index(first)).isEqualTo(2);
        assertThat(page.path("finished").asBoolean()).isFalse();
        assertThat(page.path("nextCursor").isNull()).isTrue();
        assertThat(page.path("attempts").get(0).path("lines").asInt()).isEqualTo(2);
        assertThat(page.path("attempts").get(0).path("bytes").asLong()).isEqualTo(6);

        CompletableFuture<TestHttp.Response> next = follow(id, 2);
        Thread.sleep(300);
        assertThat(next).as("no line past 2 yet").isNotDone();
        postOk(id, """
                {"attempt": 1, "shardIndex": 1, "lines": [{"text": "three"}]}""");
        TestHttp.Response woken = next.get();
        assertThat(texts(woken.json())).containsExactly("three");
        assertThat(woken.json().path("items").get(0).path("shardIndex").asInt()).isEqualTo(1);
        assertThat(index(woken)).isEqualTo(3);

        JsonNode paged = read(id, "?limit=2").json();
        assertThat(texts(paged)).containsExactly("one", "two");
        assertThat(paged.path("nextCursor").asString()).isEqualTo("2");
        assertThat(texts(read(id, "?cursor=2&limit=2").json())).containsExactly("three");

        CompletableFuture<TestHttp.Response> end = follow(id, 3);
        Thread.sleep(300);
        assertThat(end).as("nothing changed yet").isNotDone();
        report(id, "SUCCEEDED");
        JsonNode ended = end.get().json();
        assertThat(ended.path("finished").asBoolean())
                .as("the execution's end answers the follower")
                .isTrue();
        assertThat(ended.path("items")).isEmpty();

        Instant asked = Instant.now();
        TestHttp.Response again = read(id, "?cursor=3&index=3&wait=20s");
        assertThat(Duration.between(asked, Instant.now()))
                .as("a finished execution's log answers at once")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(again.json().path("finished").asBoolean()).isTrue();
    }

    @Test
    void a_line_written_through_another_replica_wakes_a_follower() throws Exception {
        long id = running();
        CompletableFuture<TestHttp.Response> follower = follow(id, 0);
        Thread.sleep(300);
        assertThat(follower).isNotDone();
        database.sql("""
                insert into execution_log (execution_id, seq, attempt, shard_index, kind, logged_at, text)
                values (:id, 1, 1, 0, 'LINE', now(), 'from elsewhere')""").param("id", id).update();

        TestHttp.Response woken = follower.get();
        assertThat(texts(woken.json())).containsExactly("from elsewhere");
        assertThat(index(woken)).isEqualTo(1);
    }

    @Test
    void lines_past_an_attempts_cap_are_dropped_after_a_truncated_line_and_a_retry_logs_afresh() {
        long id = running();
        String kilo = "k".repeat(1500);
        JsonNode cut = postOk(id, """
                {"attempt": 1, "lines": [{"text": "%s"}, {"text": "%s"}, {"text": "%s"}, {"text": "small"}]}""".formatted(kilo, kilo, kilo));
        assertThat(cut.path("accepted").asInt())
                .as("3000 of the cap's 4096 bytes")
                .isEqualTo(2);
        assertThat(cut.path("dropped").asInt())
                .as("a line past the cap, and every line after it")
                .isEqualTo(2);
        JsonNode late = postOk(id, """
                {"attempt": 1, "lines": [{"text": "late"}]}""");
        assertThat(late.path("accepted").asInt()).isZero();
        assertThat(late.path("dropped").asInt()).isEqualTo(1);

        JsonNode page = read(id, "").json();
        assertThat(page.path("items")
                        .valueStream()
                        .map(line -> line.path("kind").asString()))
                .containsExactly("LINE", "LINE", "TRUNCATED");
        JsonNode marker = page.path("items").get(2);
        assertThat(marker.path("attempt").asInt()).isEqualTo(1);
        assertThat(marker.path("text").asString()).contains("attempt 1", "4096 bytes", "dropped");
        JsonNode attempt = page.path("attempts").get(0);
        assertThat(attempt.path("lines").asInt()).isEqualTo(2);
        assertThat(attempt.path("bytes").asLong()).isEqualTo(3000);
        assertThat(attempt.path("truncated").asBoolean()).isTrue();

        TestHttp.Response notStarted = post(id, TestApiKeys.WRITE, """
                {"attempt": 2, "lines": [{"text": "too soon"}]}""");
        assertThat(notStarted.status()).as(notStarted.body()).isEqualTo(409);
        assertThat(notStarted.isProblem()).isTrue();
        report(id, "FAILED");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> execution(id).path("attempt").asInt() == 2);
        JsonNode retry = postOk(id, """
                {"attempt": 2, "lines": [{"text": "%s"}]}""".formatted(kilo));
        assertThat(retry.path("accepted").asInt())
                .as("attempt 2's log has a cap of its own")
                .isEqualTo(1);

        JsonNode both = read(id, "").json();
        assertThat(both.path("attempt").asInt()).isEqualTo(2);
        assertThat(both.path("items").get(3).path("attempt").asInt()).isEqualTo(2);
        assertThat(both.path("attempts")
                        .valueStream()
                        .map(a -> a.path("truncated").asBoolean()))
                .containsExactly(true, false);
    }

    @Test
    void bad_batches_and_queries_are_400_problems_naming_the_field_and_change_nothing() {
        long id = running();
        String thousandAndOne =
                IntStream.range(0, 1001).mapToObj(i -> "{\"text\": \"l\"}").collect(Collectors.joining(",", "[", "]"));
        Map<String, String> bodies = Map.ofEntries(
                Map.entry("{\"lines\": [{\"text\": \"x\"}]}", "attempt"),
                Map.entry("{\"attempt\": 0, \"lines\": [{\"text\": \"x\"}]}", "attempt"),
                Map.entry("{\"attempt\": 1.5, \"lines\": [{\"text\": \"x\"}]}", "attempt"),
                Map.entry("{\"attempt\": 1, \"shardIndex\": -1, \"lines\": [{\"text\": \"x\"}]}", "shardIndex"),
                Map.entry("{\"attempt\": 1}", "lines"),
                Map.entry("{\"attempt\": 1, \"lines\": []}", "lines"),
                Map.entry("{\"attempt\": 1, \"lines\": " + thousandAndOne + "}", "lines"),
                Map.entry("{\"attempt\": 1, \"lines\": [null]}", "lines[0]"),
                Map.entry("{\"attempt\": 1, \"lines\": [{}]}", "lines[0].text"),
                Map.entry("{\"attempt\": 1, \"lines\": [{\"text\": \"" + "x".repeat(16_385) + "\"}]}", "lines[0].text"),
                Map.entry("{\"attempt\": 1, \"lines\": [{\"text\": \"a\\u0000b\"}]}", "lines[0].text"),
                Map.entry("{\"attempt\": 1, \"lines\": [{\"at\": \"yesterday\", \"text\": \"x\"}]}", "lines[0].at"));
        bodies.forEach((body, field) -> {
            TestHttp.Response refused = post(id, TestApiKeys.WRITE, body);
            String shown = body.length() > 80 ? body.substring(0, 80) : body;
            assertThat(refused.status()).as(shown + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.isProblem()).as(shown).isTrue();
            assertThat(refused.json()
                            .path("errors")
                            .valueStream()
                            .map(e -> e.path("field").asString()))
                    .as(shown + ": " + refused.body())
                    .contains(field);
        });
        for (String[] query : new String[][] {
            {"?cursor=-1", "cursor"},
            {"?cursor=x", "cursor"},
            {"?limit=0", "limit"},
            {"?limit=1001", "limit"},
            {"?index=-1&wait=1s", "index"},
            {"?index=0&wait=forever", "wait"}
        }) {
            TestHttp.Response refused = read(id, query[0]);
            assertThat(refused.status()).as(query[0] + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.isProblem()).as(query[0]).isTrue();
            assertThat(refused.body()).as("names the parameter").contains(query[1]);
        }
        TestHttp.Response badId = http().get("/api/v1/executions/seven/log", TestApiKeys.READ);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.isProblem()).isTrue();
        for (TestHttp.Response unknown : List.of(
                read(Long.MAX_VALUE, ""),
                post(Long.MAX_VALUE, TestApiKeys.WRITE, "{\"attempt\": 1, \"lines\": [{\"text\": \"x\"}]}"))) {
            assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
            assertThat(unknown.isProblem()).isTrue();
        }

        TestHttp.Response after = read(id, "");
        assertThat(after.json().path("items")).as("no refused line was kept").isEmpty();
        assertThat(index(after)).isZero();
    }

    @Test
    void a_read_key_reads_a_log_and_cannot_write_to_it_and_no_key_or_an_out_of_scope_key_reaches_it() throws Exception {
        long id = running();
        String batch = "{\"attempt\": 1, \"lines\": [{\"text\": \"secret\"}]}";
        postOk(id, batch);

        assertThat(read(id, "").status()).isEqualTo(200);
        TestHttp.Response readOnly = post(id, TestApiKeys.READ, batch);
        assertThat(readOnly.status()).as("READ does not write").isEqualTo(403);
        assertThat(readOnly.isProblem()).isTrue();
        for (TestHttp.Response anonymous :
                List.of(http().get("/api/v1/executions/" + id + "/log", null), post(id, null, batch))) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.isProblem()).isTrue();
        }
        String elsewhere = storeKey("{\"jobs\": [\"" + unique("other") + "/\"]}");
        for (TestHttp.Response outOfScope :
                List.of(http().get("/api/v1/executions/" + id + "/log", elsewhere), post(id, elsewhere, batch))) {
            assertThat(outOfScope.status()).as(outOfScope.body()).isEqualTo(403);
            assertThat(outOfScope.json().path("missingScope").path("kind").asString())
                    .isEqualTo("jobs");
        }
        assertThat(texts(read(id, "").json()))
                .as("only the first batch was kept")
                .containsExactly("secret");
    }

    private void logWrittenAgo(long id, String age) {
        database.sql("""
                insert into execution_log_attempt (execution_id, attempt, lines, bytes, truncated, written_at)
                values (:id, 1, 1, 3, false, now() - :age::interval)""").param("id", id).param("age", age).update();
        database.sql("""
                insert into execution_log (execution_id, seq, attempt, shard_index, kind, logged_at, text)
                values (:id, 1, 1, 0, 'LINE', now() - :age::interval, 'old')""").param("id", id).param("age", age).update();
    }

    private long rows(String table, long id) {
        return database.sql("select count(*) from " + table + " where execution_id = :id")
                .param("id", id)
                .query(Long.class)
                .single();
    }

    @Test
    void logs_last_written_before_the_retention_are_deleted_and_fresh_ones_kept() {
        long stale = -System.nanoTime();
        long fresh = stale - 1;
        logWrittenAgo(stale, "8 days");
        logWrittenAgo(fresh, "6 days");

        retention.retention();

        assertThat(rows("execution_log", stale)).isZero();
        assertThat(rows("execution_log_attempt", stale)).isZero();
        assertThat(rows("execution_log", fresh)).isEqualTo(1);
        assertThat(rows("execution_log_attempt", fresh)).isEqualTo(1);
    }
}
