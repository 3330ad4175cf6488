package dev.baton.registry.changes;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Hears every replica's changes on {@link Changes#CHANNEL}; its health, {@code registryChanges}, is part of readiness. */
@Configuration(proxyBeanMethods = false)
class ChangesConfiguration {

    @Bean
    PgChannelListener registryChanges(HikariDataSource dataSource, Changes changes) {
        return new PgChannelListener(
                dataSource, Changes.CHANNEL, "baton-registry-changes", changes::wake, changes::wakeAll);
    }
}
