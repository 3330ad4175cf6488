package dev.baton.spring.boot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.spring.boot.TestApplications;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** An application that imports {@code baton:} from a real registry (its own process): what it loads at start-up. */
class LiveConfigurationTest {

    private static final String APP = "shop" + UUID.randomUUID().toString().substring(0, 6);

    private static int port;
    private static ServiceProcess registry;
    private static ConfigurableApplicationContext shop;

    /** The namespaces the shop reads with profiles dev and eu, first wins. */
    private static final List<String> NAMESPACES =
            List.of(APP + "-eu", "application-eu", APP + "-dev", "application-dev", APP, "application");

    @BeforeAll
    static void start() {
        port = ServiceProcess.freePort();
        registry = ServiceProcess.start("registry", TestDatabase.get(), port, ServiceProcess.FAST_START);
        for (int rank = 0; rank < NAMESPACES.size(); rank++) {
            for (String namespace : NAMESPACES.subList(rank, NAMESPACES.size())) {
                put(namespace, "shop.from-" + rank, namespace);
            }
        }
        put(APP + "-dev", "shop.greeting", "hello");
        shop = application("baton:");
    }

    @AfterAll
    static void stop() {
        shop.close();
        registry.close();
    }

    @Test
    void each_namespace_loads_at_start_up_and_the_most_specific_wins() {
        Environment environment = shop.getEnvironment();

        for (int rank = 0; rank < NAMESPACES.size(); rank++) {
            assertThat(environment.getProperty("shop.from-" + rank))
                    .as("shop.from-%d, in the namespaces from %s on", rank, NAMESPACES.get(rank))
                    .isEqualTo(NAMESPACES.get(rank));
        }
        assertThat(shop.getBean(ShopProperties.class).getGreeting()).isEqualTo("hello");
        assertThat(environment.getProperty("shop.local")).isEqualTo("from the command line");
    }

    @Test
    void a_required_import_from_an_unreachable_registry_stops_the_start_naming_it() {
        String nowhere = "http://localhost:" + ServiceProcess.freePort();

        assertThatThrownBy(() -> application("baton:", "baton.url=" + nowhere))
                .isInstanceOf(ConfigUnavailableException.class)
                .hasMessageContaining(nowhere)
                .hasMessageContaining("optional:baton:");
    }

    @Test
    void an_optional_import_from_an_unreachable_registry_starts_on_the_local_configuration() {
        String nowhere = "http://localhost:" + ServiceProcess.freePort();

        try (ConfigurableApplicationContext application = application("optional:baton:", "baton.url=" + nowhere)) {
            assertThat(application.getEnvironment().getProperty("shop.local")).isEqualTo("from the command line");
            assertThat(application.getEnvironment().getProperty("shop.from-0")).isNull();
        }
    }

    @Test
    void an_import_without_baton_url_stops_the_start_naming_the_property() {
        assertThatThrownBy(() -> application("baton:", "baton.url=")).hasMessageContaining("needs baton.url");
    }

    /** Starts the shop application importing {@code location}; {@code overrides} ({@code key=value}) replace its defaults. */
    private static ConfigurableApplicationContext application(String location, String... overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.main.web-application-type", "none");
        properties.put("spring.cloud.discovery.enabled", "false");
        properties.put("spring.application.name", APP);
        properties.put("spring.profiles.active", "dev,eu");
        properties.put("spring.config.import", location);
        properties.put("baton.url", "http://localhost:" + port);
        properties.put("baton.api-key", TestApiKeys.READ);
        properties.put("shop.local", "from the command line");
        for (String override : overrides) {
            properties.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
        }
        return new SpringApplicationBuilder(TestApplications.UserApplication.class, Beans.class)
                .run(TestApplications.arguments(properties.entrySet().stream()
                        .map(property -> property.getKey() + "=" + property.getValue())
                        .toArray(String[]::new)));
    }

    private static void put(String namespace, String key, String value) {
        ConfigEntries.put(registry.http(), namespace, key, value);
    }

    private static void delete(String namespace, String key) {
        ConfigEntries.delete(registry.http(), namespace, key);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ShopProperties.class)
    static class Beans {}

    @ConfigurationProperties("shop")
    static class ShopProperties {

        private String greeting;

        public String getGreeting() {
            return greeting;
        }

        public void setGreeting(String greeting) {
            this.greeting = greeting;
        }
    }
}
