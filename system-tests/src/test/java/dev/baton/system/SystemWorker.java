package dev.baton.system;

import dev.baton.client.worker.BatonTask;
import dev.baton.client.worker.TaskContext;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestWorkers;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A worker as a user writes one with the worker SDK: a Spring Boot application with a task,
 * registered with the registry as {@code system-worker}, tracing with Micrometer Tracing and
 * exporting its spans to the cluster's receiver. It records every call it gets.
 */
@SpringBootApplication
class SystemWorker {

    /** A call the worker got: which execution, which attempt. */
    record Call(long executionId, int attempt) {}

    final Queue<Call> calls = new ConcurrentLinkedQueue<>();

    @BatonTask("record")
    void record(TaskContext context) throws InterruptedException {
        calls.add(new Call(context.executionId(), context.attempt()));
        Thread.sleep(200);
    }

    static ConfigurableApplicationContext start(Cluster cluster) {
        return new SpringApplicationBuilder(SystemWorker.class)
                .run(
                        "--server.port=0",
                        "--spring.application.name=system-worker",
                        "--baton.discovery.url=" + cluster.registry.url(),
                        "--baton.discovery.api-key=" + TestApiKeys.WRITE,
                        "--baton.discovery.host=localhost",
                        "--baton.worker.scheduler-url=" + cluster.gateway.url(),
                        "--" + TestWorkers.WORKER_SIGNING,
                        "--logging.level.root=WARN",
                        "--management.opentelemetry.tracing.export.otlp.endpoint=" + cluster.traces.url(),
                        "--management.opentelemetry.tracing.export.schedule-delay=200ms");
    }
}
