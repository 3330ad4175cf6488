package dev.baton.spring.boot;

import java.util.Arrays;
import java.util.stream.Stream;

/** How the tests start applications that use Baton, apart from the lock-service on the same classpath. */
final class TestApplications {

    private TestApplications() {}

    /**
     * Command-line arguments for {@code properties} ({@code key=value}), with a configuration name
     * of their own so that lock-service's application.yml, on the test classpath, is not read.
     */
    static String[] arguments(String... properties) {
        return Stream.concat(Stream.of("spring.config.name=baton-application-test"), Arrays.stream(properties))
                .map(property -> "--" + property)
                .toArray(String[]::new);
    }
}
