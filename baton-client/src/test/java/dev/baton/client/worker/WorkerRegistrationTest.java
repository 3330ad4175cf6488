package dev.baton.client.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A worker with {@code baton-discovery} registers with a real registry (its own process) and is
 * reached where the registry lists it, as the scheduler reaches a job's target.
 */
class WorkerRegistrationTest {

    private static ServiceProcess registry;

    @BeforeAll
    static void startRegistry() {
        registry = ServiceProcess.start("registry");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static JsonNode instances(String service) {
        return registry.http()
                .get("/api/v1/registry/services/" + service + "/instances", TestApiKeys.READ)
                .json();
    }

    @Test
    void a_worker_registers_itself_and_serves_its_tasks_where_the_registry_lists_it() {
        String service = "billing-worker-" + UUID.randomUUID().toString().substring(0, 6);
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class)
                .run(
                        "--" + WorkerApplication.OWN_CONFIG,
                        "--" + TestWorkers.WORKER_SIGNING,
                        "--server.port=0",
                        "--spring.application.name=" + service,
                        "--baton.discovery.url=" + registry.url(),
                        "--baton.discovery.api-key=" + TestApiKeys.WRITE,
                        "--baton.discovery.host=localhost");
        try {
            JsonNode listed = instances(service);
            assertThat(listed.size()).isEqualTo(1);
            JsonNode instance = listed.get(0);
            assertThat(instance.path("port").asInt())
                    .isEqualTo(Integer.parseInt(worker.getEnvironment().getProperty("local.server.port")));

            TestHttp target = new TestHttp("http://" + instance.path("host").asString() + ":"
                    + instance.path("port").asInt());
            TestHttp.Response response =
                    Dispatch.task(target, "/baton/tasks/charge", "{\"customer\":\"cy\",\"cents\":5}", 77, 1, 0, 1);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("note").asString()).isEqualTo("charged");
        } finally {
            worker.close();
        }
        assertThat(instances(service).isEmpty()).isTrue();
    }
}
