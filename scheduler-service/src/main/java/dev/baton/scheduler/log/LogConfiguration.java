package dev.baton.scheduler.log;

import dev.baton.common.events.Watches;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds {@code baton.scheduler.logs.*}; the blocking queries on logs, by execution. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LogProperties.class)
class LogConfiguration {

    @Bean
    Watches logWatches() {
        return new Watches("log-watch");
    }
}
