package dev.baton.common.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;
import org.springframework.util.ClassUtils;

/**
 * Settings every Baton service shares (Actuator probes, graceful shutdown, the database and its
 * schema), added below everything else so that a service or an operator overrides any of them.
 */
public class BatonDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        addLast(environment, "baton-defaults.properties");
        if (ClassUtils.isPresent("org.springframework.jdbc.core.JdbcTemplate", application.getClassLoader())) {
            addLast(environment, "baton-database-defaults.properties");
        }
    }

    private static void addLast(ConfigurableEnvironment environment, String resource) {
        try {
            environment.getPropertySources().addLast(new ResourcePropertySource(new ClassPathResource(resource)));
        } catch (IOException e) {
            throw new UncheckedIOException("Baton's defaults are missing from the class path: " + resource, e);
        }
    }
}
