package dev.baton.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * An unmodified Spring Boot application with {@code spring-cloud-starter-config} loads its
 * properties, profile-specific ones included, from Baton's Config Server compatible endpoint.
 */
class ConfigClientTest {

    private static ServiceProcess registry;

    @BeforeAll
    static void startRegistry() {
        registry = ServiceProcess.start("registry");
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    /** Nothing but Spring Boot's and Spring Cloud Config client's auto-configuration. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PlainApplication {}

    private static void put(String namespace, String key, String value) {
        TestHttp.Response response = registry.http()
                .send(registry.http()
                        .request("/api/v1/config/" + namespace + "/" + key)
                        .PUT(HttpRequest.BodyPublishers.ofString(value))
                        .header("Content-Type", "text/plain")
                        .header("Authorization", "Bearer " + TestApiKeys.ADMIN)
                        .build());
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void a_stock_config_client_loads_its_properties_from_baton() {
        String app = "shop" + UUID.randomUUID().toString().substring(0, 6);
        put(app, "shop.greeting", "from-app");
        put(app, "shop.currency", "EUR");
        put(app + "-dev", "shop.greeting", "from-dev");
        put("application", "shared.timeout", "5s");

        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PlainApplication.class)
                .run(
                        "--spring.main.web-application-type=none",
                        "--spring.application.name=" + app,
                        "--spring.profiles.active=dev",
                        "--spring.config.import=configserver:" + registry.url() + "/api/v1/config-server",
                        "--spring.cloud.config.fail-fast=true",
                        "--spring.cloud.config.headers.Authorization=Bearer " + TestApiKeys.READ)) {
            Environment environment = context.getEnvironment();
            assertThat(environment.getProperty("shop.greeting")).isEqualTo("from-dev");
            assertThat(environment.getProperty("shop.currency")).isEqualTo("EUR");
            assertThat(environment.getProperty("shared.timeout")).isEqualTo("5s");
        }
    }
}
