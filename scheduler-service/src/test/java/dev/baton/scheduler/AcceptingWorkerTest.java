package dev.baton.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test whose jobs call one worker that accepts every call (202) and never reports by itself:
 * its executions stay RUNNING until the test reports them. Its keys may carry scopes.
 */
public abstract class AcceptingWorkerTest extends ScopedKeyTest {

    protected static final String SERVICE = unique("accepting");
    private static TestWorker worker;

    @BeforeAll
    static void startWorker() {
        worker = TestWorker.start(registry().url(), SERVICE, "w1", call -> new TestWorker.Reply(202, null));
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    /** Reports attempt 1 of a running execution as the worker would, with this status. */
    protected void report(long execution, String status) {
        TestHttp.Response reported = http().send(
                        "POST",
                        "/api/v1/executions/" + execution + "/complete",
                        TestApiKeys.WRITE,
                        "{\"status\": \"" + status + "\", \"attempt\": 1}");
        assertThat(reported.status()).as(reported.body()).isEqualTo(200);
    }

    /** A job of this name on the worker, due only once a year, with a minute to report in. */
    protected static String job(String name) {
        return """
                {"name": "%s", "schedule": {"type": "CRON", "cron": "0 0 2 1 1 *", "zone": "UTC"},
                 "target": {"service": "%s", "path": "/tasks/report"}, "timeoutMs": 60000}""".formatted(name, SERVICE);
    }
}
