package dev.baton.spring.boot;

import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** How the tests start applications that use Baton, apart from the lock-service on the same classpath. */
public final class TestApplications {

    private TestApplications() {}

    /**
     * An application as a user writes one. lock-service runs in this module's test JVM, so a
     * service's security, database and API documents are on the classpath; an application has
     * none of them, and they are left out.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration(
            excludeName = {
                "dev.baton.common.security.ServletSecurityAutoConfiguration",
                "dev.baton.common.openapi.OpenApiAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
            })
    public static class UserApplication {}

    /**
     * Command-line arguments for {@code properties} ({@code key=value}), with a configuration name
     * of their own so that lock-service's application.yml, on the test classpath, is not read.
     */
    public static String[] arguments(String... properties) {
        return Stream.concat(Stream.of("spring.config.name=baton-application-test"), Arrays.stream(properties))
                .map(property -> "--" + property)
                .toArray(String[]::new);
    }
}
