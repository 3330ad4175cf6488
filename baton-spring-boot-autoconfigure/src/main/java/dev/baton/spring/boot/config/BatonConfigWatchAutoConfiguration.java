package dev.baton.spring.boot.config;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Live configuration: where the application imported {@code spring.config.import=baton:} and has
 * Spring Cloud Context's refresh, a {@link ConfigWatch} on the imported namespaces refreshes it
 * when one changes. {@code baton.config.watch=false} turns it off; an application that imports
 * nothing from Baton (Spring Cloud Config's {@code configserver:} included) watches nothing.
 */
@AutoConfiguration(afterName = "org.springframework.cloud.autoconfigure.RefreshAutoConfiguration")
@ConditionalOnClass(ContextRefresher.class)
@ConditionalOnBooleanProperty(name = "baton.config.watch", matchIfMissing = true)
@ConditionalOnBean({ImportedConfig.class, ContextRefresher.class})
@EnableConfigurationProperties(BatonConfigProperties.class)
public class BatonConfigWatchAutoConfiguration {

    @Bean
    ConfigWatch batonConfigWatch(
            ImportedConfig imported,
            ContextRefresher refresher,
            BatonConfigProperties properties,
            ConfigurableEnvironment environment) {
        return new ConfigWatch(
                imported,
                namespace -> NamespaceSource.indexIn(environment.getPropertySources(), namespace),
                refresher::refresh,
                properties);
    }
}
