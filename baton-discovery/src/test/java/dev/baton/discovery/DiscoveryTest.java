package dev.baton.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Plain Spring Boot applications with this module on their classpath register with a real
 * registry (its own process) and call each other by service name through {@code lb://}.
 */
class DiscoveryTest {

    private static final String GREETER =
            "greeter-" + UUID.randomUUID().toString().substring(0, 6);

    private static ServiceProcess registry;
    private static final List<ConfigurableApplicationContext> apps = new ArrayList<>();

    @BeforeAll
    static void startRegistry() {
        registry = ServiceProcess.start("registry");
    }

    @AfterAll
    static void stopAll() {
        apps.forEach(ConfigurableApplicationContext::close);
        registry.close();
    }

    /** A web application that answers who it is. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(GreeterController.class)
    static class Greeter {}

    @RestController
    static class GreeterController {

        private final Environment environment;

        GreeterController(Environment environment) {
            this.environment = environment;
        }

        @GetMapping("/hello")
        String hello() {
            return "hello from " + environment.getProperty("local.server.port");
        }
    }

    /** A web application that calls the greeter by its service name. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Caller {

        @Bean
        @LoadBalanced
        RestClient.Builder loadBalanced() {
            return RestClient.builder();
        }
    }

    private static ConfigurableApplicationContext start(Class<?> application, String name, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.application.name=" + name,
                "--baton.discovery.url=" + registry.url(),
                "--baton.discovery.api-key=" + TestApiKeys.WRITE,
                "--baton.discovery.host=localhost",
                "--baton.discovery.ttl=3s",
                "--baton.discovery.heartbeat-interval=1s",
                "--baton.discovery.zone=zone-a",
                "--baton.discovery.metadata.version=1.2",
                "--spring.cloud.config.enabled=false"));
        args.addAll(List.of(more));
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(application).run(args.toArray(String[]::new));
        apps.add(context);
        return context;
    }

    private static List<String> registered(String service) {
        List<String> ids = new ArrayList<>();
        registry.http()
                .get("/api/v1/registry/services/" + service + "/instances", TestApiKeys.READ)
                .json()
                .forEach(instance -> ids.add(instance.path("instanceId").asString()));
        return ids;
    }

    @Test
    void applications_register_discover_and_call_each_other_by_name() {
        ConfigurableApplicationContext first = start(Greeter.class, GREETER);
        ConfigurableApplicationContext second = start(Greeter.class, GREETER);
        int firstPort = Integer.parseInt(first.getEnvironment().getProperty("local.server.port"));
        assertThat(registered(GREETER))
                .containsExactlyInAnyOrder(
                        GREETER + "-localhost-" + firstPort,
                        GREETER + "-localhost-" + second.getEnvironment().getProperty("local.server.port"));

        ConfigurableApplicationContext caller =
                start(Caller.class, "caller-" + GREETER, "--baton.discovery.register=false");
        DiscoveryClient discovery = caller.getBean(DiscoveryClient.class);
        assertThat(discovery.getServices()).contains(GREETER).doesNotContain("caller-" + GREETER);
        List<ServiceInstance> instances = discovery.getInstances(GREETER);
        assertThat(instances).hasSize(2);
        assertThat(instances.get(0).getHost()).isEqualTo("localhost");
        assertThat(instances.get(0).getMetadata())
                .containsEntry("zone", "zone-a")
                .containsEntry("version", "1.2");
        ReactiveDiscoveryClient reactive =
                new BatonReactiveDiscoveryClient(new BatonDiscoveryClient(caller.getBean(RegistryClient.class)));
        assertThat(reactive.getInstances(GREETER).collectList().block(Duration.ofSeconds(10)))
                .hasSize(2);

        RestClient client = caller.getBean(RestClient.Builder.class).build();
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            answers.add(
                    client.get().uri("http://" + GREETER + "/hello").retrieve().body(String.class));
        }
        assertThat(answers).hasSize(2);

        // Heartbeats keep both listed well past their 3 s TTL.
        await().pollDelay(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(6))
                .until(() -> registered(GREETER).size() == 2);

        first.close();
        assertThat(registered(GREETER))
                .containsExactly(
                        GREETER + "-localhost-" + second.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void load_balancing_follows_a_watch_on_the_registry_within_a_second() {
        String service = "watched-" + GREETER;
        ConfigurableApplicationContext caller =
                start(Caller.class, "caller-" + service, "--baton.discovery.register=false");
        ServiceInstanceListSupplier supplier =
                caller.getBean(LoadBalancerClientFactory.class).getInstance(service, ServiceInstanceListSupplier.class);
        assertThat(supplier).isInstanceOf(WatchedInstances.class);
        assertThat(supplier.get().blockFirst(Duration.ofSeconds(10))).isEmpty();

        ConfigurableApplicationContext first = start(Greeter.class, service);
        await().atMost(Duration.ofSeconds(1))
                .until(() -> supplier.get().blockFirst().size() == 1);
        ConfigurableApplicationContext second = start(Greeter.class, service);
        await().atMost(Duration.ofSeconds(1))
                .until(() -> supplier.get().blockFirst().size() == 2);

        second.close();
        await().atMost(Duration.ofSeconds(1))
                .until(() -> supplier.get().blockFirst().size() == 1);
        assertThat(supplier.get().blockFirst().get(0).getPort())
                .isEqualTo(Integer.parseInt(first.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    void an_instance_the_registry_forgot_registers_again_at_its_next_heartbeat() {
        String service = "again-" + GREETER;
        ConfigurableApplicationContext app = start(Greeter.class, service);
        String id = registered(service).get(0);
        TestHttp.Response removed = registry.http()
                .send("DELETE", "/api/v1/registry/services/" + service + "/instances/" + id, TestApiKeys.WRITE, null);
        assertThat(removed.status()).isEqualTo(204);
        assertThat(registered(service)).isEmpty();

        await().atMost(Duration.ofSeconds(5)).until(() -> registered(service).equals(List.of(id)));
        app.close();
        assertThat(registered(service)).isEmpty();
    }
}
