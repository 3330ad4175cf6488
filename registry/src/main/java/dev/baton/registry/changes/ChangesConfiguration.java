package dev.baton.registry.changes;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import dev.baton.common.keys.AuditLog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hears every replica's changes on {@link Changes#CHANNEL}, and every service's audit batches on
 * {@link AuditLog#CHANNEL} as changes of {@link Changes#AUDIT}; their health, {@code registryChanges} and
 * {@code auditChanges}, is part of readiness.
 */
@Configuration(proxyBeanMethods = false)
class ChangesConfiguration {

    @Bean
    PgChannelListener registryChanges(HikariDataSource dataSource, Changes changes) {
        return new PgChannelListener(
                dataSource, Changes.CHANNEL, "baton-registry-changes", changes::wake, changes::wakeAll);
    }

    @Bean
    PgChannelListener auditChanges(HikariDataSource dataSource, Changes changes) {
        return new PgChannelListener(
                dataSource,
                AuditLog.CHANNEL,
                "baton-registry-audit",
                id -> changes.wake(Changes.AUDIT),
                changes::wakeAll);
    }
}
