package dev.baton.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points baton-discovery (and through it the worker SDK) at {@code baton.url} with
 * {@code baton.api-key}, below every other property source, so that an application sets two
 * properties and any {@code baton.discovery.*} it sets itself still wins.
 */
public class BatonDefaults implements EnvironmentPostProcessor {

    static final String SOURCE = "batonDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty("baton.url")) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("baton.discovery.url", "${baton.url}");
        defaults.put("baton.discovery.api-key", "${baton.api-key:}");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
    }
}
