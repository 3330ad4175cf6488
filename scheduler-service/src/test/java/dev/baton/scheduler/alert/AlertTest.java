package dev.baton.scheduler.alert;

import static org.awaitility.Awaitility.await;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/** A test of alerts: a real worker whose jobs alert a real HTTP receiver. */
abstract class AlertTest extends SchedulerTest {

    protected String service;
    protected TestWorker worker;
    protected AlertReceiver receiver;

    @BeforeEach
    void startWorkerAndReceiver() {
        service = unique("alerted-worker");
        worker = worker(service, "w");
        receiver = new AlertReceiver();
    }

    @AfterEach
    void stopWorkerAndReceiver() {
        worker.close();
        receiver.close();
    }

    /** Creates a job that calls the worker once triggered, with these extra fields; returns its id. */
    protected String job(String fields) {
        return createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"service": "%s", "path": "/run"}, %s}""".formatted(unique("alerted"), service, fields))
                .path("id")
                .asString();
    }

    /** The job's alerts, newest first. */
    protected List<JsonNode> alerts(String jobId) {
        JsonNode page = http().get("/api/v1/jobs/" + jobId + "/alerts", TestApiKeys.READ)
                .json();
        return StreamSupport.stream(page.path("items").spliterator(), false).toList();
    }

    /** Waits until the job's alerts meet the condition, and returns them, newest first. */
    protected List<JsonNode> awaitAlerts(String jobId, Predicate<List<JsonNode>> condition) {
        return await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> alerts(jobId), condition);
    }

    /** The events of these alerts, oldest first. */
    protected static List<String> events(List<JsonNode> alerts) {
        List<String> events = new ArrayList<>(
                alerts.stream().map(alert -> alert.path("event").asString()).toList());
        Collections.reverse(events);
        return events;
    }
}
