package dev.baton.spring.boot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.spring.boot.TestApplications;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Live configuration: an application that imports {@code baton:} from a real registry (its own
 * process) follows the changes to its namespaces, in a {@code @ConfigurationProperties} JavaBean
 * and in a {@code @RefreshScope} bean, within a second of the write's answer.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigRefreshTest {

    private static final Duration LATENCY = Duration.ofSeconds(1);
    private static final String WATCHER = "baton-config-watch-";

    private static int port;
    private static ServiceProcess registry;

    @BeforeAll
    static void start() {
        port = ServiceProcess.freePort();
        registry = ServiceProcess.start("registry", TestDatabase.get(), port, ServiceProcess.FAST_START);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void a_change_reaches_a_properties_bean_and_a_refresh_scope_bean_within_a_second() {
        String app = application();
        put(app + "-dev", "shop.greeting", "hello");
        List<Long> latencies = new ArrayList<>();
        try (ConfigurableApplicationContext shop = shop(app)) {
            ShopProperties properties = shop.getBean(ShopProperties.class);
            Greeter greeter = shop.getBean(Greeter.class);
            assertThat(properties.getGreeting()).isEqualTo("hello");
            assertThat(greeter.greeting()).isEqualTo("hello");
            for (int change = 0; change < 5; change++) {
                String greeting = "hello-" + change;
                put(app + "-dev", "shop.greeting", greeting);
                long written = System.nanoTime();
                awaitWithin(
                        LATENCY,
                        () -> greeting.equals(properties.getGreeting()) && greeting.equals(greeter.greeting()));
                latencies.add((System.nanoTime() - written) / 1_000_000);
            }
            // The limit docs/spring-boot.md names: a record, bound through its constructor, is not rebound.
            assertThat(shop.getBean(ShopRecord.class).greeting()).isEqualTo("hello");
            // The shared namespace, below the profile's and the application's, is watched too.
            String shared = "shared-" + UUID.randomUUID().toString().substring(0, 8);
            put("application", "shop.motto", shared);
            long written = System.nanoTime();
            awaitWithin(LATENCY, () -> shared.equals(properties.getMotto()) && shared.equals(greeter.motto()));
            latencies.add((System.nanoTime() - written) / 1_000_000);
        }
        System.out.println("Write to visible in both beans, ms: " + latencies);
        assertThat(watchers()).as("watch threads after the context closed").isEmpty();
    }

    @Test
    void a_deleted_key_leaves_the_environment_the_properties_bean_and_refresh_scope_beans() {
        String app = application();
        put(app, "shop.farewell", "bye");
        try (ConfigurableApplicationContext shop = shop(app)) {
            Greeter greeter = shop.getBean(Greeter.class);
            ShopProperties properties = shop.getBean(ShopProperties.class);
            assertThat(greeter.farewell()).isEqualTo("bye");
            assertThat(properties.getFarewell()).isEqualTo("bye");

            delete(app, "shop.farewell");
            long deleted = System.nanoTime();
            awaitWithin(
                    LATENCY,
                    () -> shop.getEnvironment().getProperty("shop.farewell") == null
                            && properties.getFarewell() == null
                            && "none".equals(greeter.farewell()));
            System.out.println("Deletion to gone, ms: " + (System.nanoTime() - deleted) / 1_000_000);
        }
    }

    @Test
    void the_watch_outlives_a_registry_restart_logging_the_outage_once(CapturedOutput output) {
        String app = application();
        put(app, "shop.greeting", "before");
        try (ConfigurableApplicationContext shop = shop(app, "baton.config.max-backoff=1s")) {
            ShopProperties properties = shop.getBean(ShopProperties.class);
            assertThat(properties.getGreeting()).isEqualTo("before");

            registry.kill();
            sleep(Duration.ofSeconds(4));
            registry = ServiceProcess.start("registry", TestDatabase.get(), port, ServiceProcess.FAST_START);
            put(app, "shop.greeting", "after");
            long written = System.nanoTime();
            // A watch may be in its pause (at most max-backoff) when the registry is back.
            awaitWithin(LATENCY.plusSeconds(1), () -> "after".equals(properties.getGreeting()));
            System.out.println("After the restart, write to visible, ms: " + (System.nanoTime() - written) / 1_000_000);

            assertThat(count(output.getOut(), "Live configuration from Baton at " + registry.url() + " stopped"))
                    .as("WARN lines for one outage")
                    .isEqualTo(1);
            awaitWithin(Duration.ofSeconds(3), () -> output.getOut().contains("works again"));
        }
    }

    @Test
    void an_idle_watch_holds_its_queries_instead_of_asking_again() {
        try (ConfigurableApplicationContext shop = shop(application())) {
            sleep(Duration.ofMillis(500));
            long before = namespaceReads();
            sleep(Duration.ofSeconds(2));
            // Six namespaces, each held by the registry for baton.config.watch-wait (55 s): none is answered.
            assertThat(namespaceReads() - before)
                    .as("namespace reads answered in 2 s")
                    .isZero();
        }
    }

    @Test
    void an_application_that_imports_nothing_from_baton_watches_nothing() {
        try (ConfigurableApplicationContext plain = run("spring.application.name=" + application())) {
            assertThat(plain.getBeansOfType(ConfigWatch.class)).isEmpty();
            assertThat(watchers()).isEmpty();
        }
    }

    /** A fresh application name, so that tests do not see each other's namespaces. */
    private static String application() {
        return "shop" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static ConfigurableApplicationContext shop(String app, String... overrides) {
        List<String> properties = new ArrayList<>(
                List.of("spring.application.name=" + app, "spring.profiles.active=dev", "spring.config.import=baton:"));
        properties.addAll(List.of(overrides));
        return run(properties.toArray(String[]::new));
    }

    /** Starts an application on the registry; {@code overrides} ({@code key=value}) replace its defaults. */
    private static ConfigurableApplicationContext run(String... overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.main.web-application-type", "none");
        properties.put("spring.cloud.discovery.enabled", "false");
        properties.put("baton.url", "http://localhost:" + port);
        properties.put("baton.api-key", TestApiKeys.READ);
        for (String override : overrides) {
            properties.put(override.substring(0, override.indexOf('=')), override.substring(override.indexOf('=') + 1));
        }
        return new SpringApplicationBuilder(TestApplications.UserApplication.class, Beans.class)
                .run(TestApplications.arguments(properties.entrySet().stream()
                        .map(property -> property.getKey() + "=" + property.getValue())
                        .toArray(String[]::new)));
    }

    /** How many reads of a whole namespace the registry has answered, from its Prometheus metrics. */
    private static long namespaceReads() {
        TestHttp.Response metrics = registry.http().get("/actuator/prometheus", TestApiKeys.READ);
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body()
                .lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("method=\"GET\"")
                        && line.contains("uri=\"/api/v1/config/{namespace}\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void put(String namespace, String key, String value) {
        ConfigEntries.put(registry.http(), namespace, key, value);
    }

    private static void delete(String namespace, String key) {
        ConfigEntries.delete(registry.http(), namespace, key);
    }

    /** Polls {@code condition} every 2 ms; fails once {@code limit} has passed without it. */
    private static void awaitWithin(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("not within %s", limit).isNegative();
            sleep(Duration.ofMillis(2));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> watchers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(WATCHER))
                .toList();
    }

    private static int count(String text, String line) {
        int count = 0;
        for (int at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + 1)) {
            count++;
        }
        return count;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ShopProperties.class, ShopRecord.class})
    static class Beans {

        @Bean
        @RefreshScope
        Greeter greeter(
                @Value("${shop.greeting:none}") String greeting,
                @Value("${shop.motto:none}") String motto,
                @Value("${shop.farewell:none}") String farewell) {
            return new Greeter(greeting, motto, farewell);
        }
    }

    /** A bean that reads properties once, when it is made: only a refresh of its scope renews them. */
    static class Greeter {

        private final String greeting;
        private final String motto;
        private final String farewell;

        Greeter(String greeting, String motto, String farewell) {
            this.greeting = greeting;
            this.motto = motto;
            this.farewell = farewell;
        }

        public String greeting() {
            return greeting;
        }

        public String motto() {
            return motto;
        }

        public String farewell() {
            return farewell;
        }
    }

    @ConfigurationProperties("shop")
    record ShopRecord(String greeting) {}

    @ConfigurationProperties("shop")
    static class ShopProperties {

        private String greeting;
        private String motto;
        private String farewell;

        public String getGreeting() {
            return greeting;
        }

        public void setGreeting(String greeting) {
            this.greeting = greeting;
        }

        public String getMotto() {
            return motto;
        }

        public void setMotto(String motto) {
            this.motto = motto;
        }

        public String getFarewell() {
            return farewell;
        }

        public void setFarewell(String farewell) {
            this.farewell = farewell;
        }
    }
}
