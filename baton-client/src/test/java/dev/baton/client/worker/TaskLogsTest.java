package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.http.BatonHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the lines a task logs reach a stand-in for the scheduler (a real HTTP server): in order, in
 * batches, all of them by the task's end; again after a failed batch; no more once the attempt's
 * log is full; and with a count of those a full buffer dropped.
 */
class TaskLogsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FakeScheduler scheduler = FakeScheduler.start();
    private TaskLogs logs;

    private TaskLogs logs(Duration interval, int buffer) {
        logs = new TaskLogs(
                BatonHttp.builder()
                        .baseUrl(scheduler.url())
                        .apiKey("worker-key")
                        .build(),
                interval,
                buffer,
                JSON);
        return logs;
    }

    @AfterEach
    void stop() {
        logs.close();
        scheduler.close();
    }

    private static void finish(TaskLogs.AttemptLog log) throws Exception {
        log.finish().get(5, TimeUnit.SECONDS);
    }

    @Test
    void an_attempts_lines_arrive_in_order_with_its_attempt_and_shard_by_the_tasks_end() throws Exception {
        TaskLogs.AttemptLog log = logs(Duration.ofHours(1), 100).attempt("charge", 601, 2, 1);
        TaskContext context = new TaskContext(601, 2, 1, 3, Instant.now(), log);
        context.log("as it is {}");
        context.log("{} of {}", 1, 2);
        context.log("failed at {}", "the bank", new IllegalStateException("boom"));
        context.log("a\u0000b\uD800c");
        context.log("x".repeat(TaskLogs.MAX_TEXT + 10));

        finish(log);

        List<String> logged = scheduler.logged(601);
        assertThat(logged.subList(0, 2)).containsExactly("as it is {}", "1 of 2");
        assertThat(logged.get(2)).startsWith("failed at the bank\njava.lang.IllegalStateException: boom\n\tat ");
        assertThat(logged.get(3)).as("text PostgreSQL cannot store is replaced").isEqualTo("a\uFFFDb\uFFFDc");
        assertThat(logged.subList(4, 6))
                .as("a longer text is sent as several lines")
                .containsExactly("x".repeat(TaskLogs.MAX_TEXT), "x".repeat(10));
        for (FakeScheduler.Call call : scheduler.calls(601, "log")) {
            assertThat(call.authorization()).isEqualTo("Bearer worker-key");
            assertThat(call.body().path("attempt").asInt()).isEqualTo(2);
            assertThat(call.body().path("shardIndex").asInt()).isEqualTo(1);
        }
    }

    @Test
    void a_batch_that_gets_a_5xx_is_sent_again_before_the_lines_after_it() throws Exception {
        scheduler.answerLogs(503);
        TaskLogs.AttemptLog log = logs(Duration.ofMillis(50), 100).attempt("charge", 602, 1, 0);
        log.append(Instant.now(), "one");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !scheduler.calls(602, "log").isEmpty());
        log.append(Instant.now(), "two");

        finish(log);

        assertThat(scheduler.calls(602, "log").get(0).status()).isEqualTo(503);
        assertThat(scheduler.logged(602)).containsExactly("one", "two");
    }

    @Test
    void once_the_scheduler_drops_an_attempts_lines_its_later_lines_are_not_sent() throws Exception {
        scheduler.capLogsAt(2);
        TaskLogs.AttemptLog log = logs(Duration.ofHours(1), 100).attempt("charge", 603, 1, 0);
        log.append(Instant.now(), "one");
        log.append(Instant.now(), "two");
        log.append(Instant.now(), "three");
        finish(log);

        log.append(Instant.now(), "four");
        log.send();

        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(1))
                .until(() -> scheduler.calls(603, "log").size() == 1);
        assertThat(scheduler.logged(603)).containsExactly("one", "two");
    }

    @Test
    void lines_past_the_buffer_are_dropped_and_a_line_says_how_many_where_they_were() throws Exception {
        TaskLogs.AttemptLog log = logs(Duration.ofHours(1), 3).attempt("charge", 604, 1, 0);
        for (int i = 1; i <= 5; i++) {
            log.append(Instant.now(), "line " + i);
        }

        finish(log);

        assertThat(scheduler.logged(604))
                .containsExactly(
                        "line 1",
                        "line 2",
                        "line 3",
                        "2 line(s) were dropped by the worker: more than baton.worker.log-buffer (3) waited to be sent");
    }
}
