package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A web application configured only with baton.url and baton.api-key registers with a real
 * registry (its own process), serves the worker SDK, and deregisters on shutdown.
 */
class RegistrationTest {

    private static ServiceProcess registry;

    @BeforeAll
    static void startRegistry() {
        registry = ServiceProcess.start("registry");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void a_web_application_registers_under_its_name_from_baton_url_alone_and_leaves_on_shutdown() {
        String service = "billing-" + UUID.randomUUID().toString().substring(0, 6);
        try (ConfigurableApplicationContext application = start(service)) {
            JsonNode listed = instances(service);
            assertThat(listed.size()).isEqualTo(1);
            assertThat(listed.get(0).path("port").asInt())
                    .isEqualTo(Integer.parseInt(application.getEnvironment().getProperty("local.server.port")));
            assertThat(application.containsBean("batonTaskRoutes")).isTrue();
        }
        assertThat(instances(service).isEmpty()).isTrue();
    }

    @Test
    void an_application_that_turns_registration_off_is_not_listed() {
        String service = "billing-" + UUID.randomUUID().toString().substring(0, 6);
        try (ConfigurableApplicationContext application = start(service, "--baton.discovery.register=false")) {
            assertThat(instances(service).isEmpty()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(String service, String... more) {
        String[] arguments = {
            "--spring.config.name=baton-application-test",
            "--server.port=0",
            "--spring.application.name=" + service,
            "--baton.url=" + registry.url(),
            "--baton.api-key=" + TestApiKeys.WRITE,
            "--baton.discovery.host=localhost"
        };
        String[] all =
                Stream.concat(Arrays.stream(arguments), Arrays.stream(more)).toArray(String[]::new);
        return new SpringApplicationBuilder(TestApplications.UserApplication.class).run(all);
    }

    private static JsonNode instances(String service) {
        return registry.http()
                .get("/api/v1/registry/services/" + service + "/instances", TestApiKeys.READ)
                .json();
    }
}
