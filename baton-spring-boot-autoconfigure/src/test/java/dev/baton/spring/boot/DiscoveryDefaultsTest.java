package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.discovery.BatonDiscoveryAutoConfiguration;
import dev.baton.discovery.BatonDiscoveryClient;
import dev.baton.discovery.BatonDiscoveryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** Discovery bound to baton.url and baton.api-key, in applications started as Spring Boot starts them. */
class DiscoveryDefaultsTest {

    @Test
    void discovery_takes_baton_url_and_api_key() {
        try (ConfigurableApplicationContext context = start("baton.url=http://baton:8080", "baton.api-key=the-key")) {
            BatonDiscoveryProperties discovery = context.getBean(BatonDiscoveryProperties.class);
            assertThat(discovery.url()).isEqualTo("http://baton:8080");
            assertThat(discovery.apiKey()).isEqualTo("the-key");
            assertThat(context.getBeansOfType(BatonDiscoveryClient.class)).hasSize(1);
        }
    }

    @Test
    void the_applications_own_discovery_settings_win() {
        try (ConfigurableApplicationContext context = start(
                "baton.url=http://baton:8080",
                "baton.api-key=the-key",
                "baton.discovery.url=http://registry:8081",
                "baton.discovery.api-key=registry-key")) {
            BatonDiscoveryProperties discovery = context.getBean(BatonDiscoveryProperties.class);
            assertThat(discovery.url()).isEqualTo("http://registry:8081");
            assertThat(discovery.apiKey()).isEqualTo("registry-key");
        }
    }

    @Test
    void discovery_stays_off_without_baton_url_or_when_disabled() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBeansOfType(BatonDiscoveryClient.class)).isEmpty();
        }
        try (ConfigurableApplicationContext context =
                start("baton.url=http://baton:8080", "baton.api-key=the-key", "spring.cloud.discovery.enabled=false")) {
            assertThat(context.getBeansOfType(BatonDiscoveryClient.class)).isEmpty();
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .run(TestApplications.arguments(properties));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({BatonAutoConfiguration.class, BatonDiscoveryAutoConfiguration.class})
    static class Application {}
}
