package dev.baton.test;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * One more instance of a service, started in the test JVM on a random port, on the same
 * {@link TestDatabase} and keys as the test's own: a second replica for tests of what replicas
 * share.
 */
public final class ServiceInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts the application with {@code properties} ({@code key=value}) above its own configuration.
     */
    public static ServiceInstance start(Class<?> application, String... properties) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("server.port", "0");
        for (String property : properties) {
            int equals = property.indexOf('=');
            overrides.put(property.substring(0, equals), property.substring(equals + 1));
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .initializers(
                        new BatonTestEnvironment(),
                        started -> started.getEnvironment()
                                .getPropertySources()
                                .addFirst(new MapPropertySource("service-instance", overrides)))
                .run();
        return new ServiceInstance(context);
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public TestHttp http() {
        return TestHttp.localhost(port());
    }

    @Override
    public void close() {
        context.close();
    }
}
