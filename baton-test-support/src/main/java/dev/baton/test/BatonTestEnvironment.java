package dev.baton.test;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Points a test's application context at this JVM's {@link TestDatabase} (when the service
 * keeps state in PostgreSQL), makes it accept the {@link TestApiKeys}, and has it export the
 * spans it ends within a tenth of a second ({@link CollectedSpans}).
 */
public class BatonTestEnvironment implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Map<String, Object> properties = TestApiKeys.properties();
        properties.put("management.opentelemetry.tracing.export.schedule-delay", "100ms");
        if (ClassUtils.isPresent("org.springframework.jdbc.core.JdbcTemplate", context.getClassLoader())) {
            TestDatabase database = TestDatabase.get();
            properties.put("spring.datasource.url", database.url());
            properties.put("spring.datasource.username", database.user());
            properties.put("spring.datasource.password", database.password());
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("baton-test", properties));
    }
}
