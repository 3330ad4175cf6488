package dev.baton.test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

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

    public static ServiceInstance start(Class<?> application, String... properties) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .initializers(new BatonTestEnvironment())
                .properties("server.port=0")
                .properties(properties)
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
