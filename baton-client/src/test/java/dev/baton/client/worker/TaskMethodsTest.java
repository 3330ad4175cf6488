package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestWorkers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.servlet.function.RouterFunction;

/** What start-up makes of the declared tasks, and when the worker is configured at all. */
class TaskMethodsTest {

    private final WebApplicationContextRunner unsigned = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BatonWorkerAutoConfiguration.class));

    private final WebApplicationContextRunner worker = unsigned.withPropertyValues(TestWorkers.WORKER_SIGNING);

    static class Duplicates {

        @BatonTask("export")
        void export() {}

        @BatonTask("export")
        void exportAgain() {}
    }

    static class TwoPayloads {

        @BatonTask("merge")
        void merge(String left, String right) {}
    }

    static class BadName {

        @BatonTask("reports/daily")
        void daily() {}
    }

    static class Later {

        @BatonTask("later")
        CompletionStage<String> later() {
            return CompletableFuture.completedFuture("done");
        }
    }

    /** What stopped the start-up, wrappers left out. */
    private static AbstractThrowableAssert<?, ? extends Throwable> startupFailure(
            AssertableWebApplicationContext context) {
        assertThat(context).hasFailed();
        return assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()));
    }

    @Test
    void the_declared_tasks_are_found_by_name() {
        worker.withBean(WorkerApplication.BillingTasks.class)
                .withPropertyValues("baton.worker.scheduler-url=http://scheduler:8083")
                .run(context -> {
                    TaskMethods tasks = context.getBean(TaskMethods.class);
                    assertThat(tasks.find("charge").takesPayload()).isTrue();
                    assertThat(tasks.find("noop").takesPayload()).isFalse();
                    assertThat(tasks.find("settle").completesLater()).isTrue();
                    assertThat(tasks.find("charge").completesLater()).isFalse();
                    assertThat(tasks.find("refund")).isNull();
                });
    }

    @Test
    void two_tasks_with_one_name_stop_the_start_up() {
        worker.withBean(Duplicates.class)
                .run(context -> startupFailure(context).hasMessageContaining("Two tasks are named 'export'"));
    }

    @Test
    void a_task_with_two_payloads_stops_the_start_up() {
        worker.withBean(TwoPayloads.class)
                .run(context ->
                        startupFailure(context).hasMessageContaining("at most one payload and one TaskContext"));
    }

    @Test
    void a_task_name_that_is_not_one_path_segment_stops_the_start_up() {
        worker.withBean(BadName.class).run(context -> startupFailure(context).hasMessageContaining("reports/daily"));
    }

    @Test
    void a_task_that_completes_later_needs_a_scheduler_url_which_baton_discovery_url_stands_in_for() {
        worker.withBean(Later.class)
                .run(context -> startupFailure(context).hasMessageContaining("baton.worker.scheduler-url"));

        worker.withBean(Later.class)
                .withPropertyValues("baton.discovery.url=http://baton-gateway:8080")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TaskMethods.class));
    }

    @Test
    void a_task_needs_the_secret_the_scheduler_signs_with_and_only_a_long_one_is_taken() {
        unsigned.withBean(WorkerApplication.BillingTasks.class)
                .withPropertyValues("baton.worker.scheduler-url=http://scheduler:8083")
                .run(context -> startupFailure(context).hasMessageContaining("baton.worker.signing-secrets"));

        unsigned.withPropertyValues("baton.worker.signing-secrets=short")
                .run(context -> startupFailure(context).hasMessageContaining("at least 32 characters"));

        unsigned.run(context -> assertThat(context).hasNotFailed().hasSingleBean(TaskMethods.class));
    }

    @Test
    void a_path_that_does_not_start_with_a_slash_stops_the_start_up() {
        worker.withPropertyValues("baton.worker.path=tasks")
                .run(context -> startupFailure(context).hasMessageContaining("must start with '/'"));
    }

    @Test
    void nothing_is_served_outside_a_servlet_web_application() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BatonWorkerAutoConfiguration.class))
                .withBean(WorkerApplication.BillingTasks.class)
                .run(context ->
                        assertThat(context).doesNotHaveBean(TaskMethods.class).doesNotHaveBean(RouterFunction.class));
    }
}
