package dev.baton.common.keys;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import dev.baton.common.security.ApiKeys;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The keys created at runtime and the audit log, for a service that keeps state in PostgreSQL:
 * it applies the shared {@code baton_keys} schema's migrations, holds every key in memory beside
 * the bootstrap keys, and reads them again whenever a change is announced on
 * {@link KeyTable#CHANNEL} (or the listening connection was lost), so that a revoked key is
 * refused within moments and no request waits for the database to authenticate.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({HikariDataSource.class, JdbcClient.class, org.flywaydb.core.Flyway.class})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(TrustedProxyProperties.class)
public class RuntimeKeysAutoConfiguration {

    @Bean
    KeyTable keyTable(DataSource dataSource, JsonMapper json) {
        return new KeyTable(dataSource, json, Clock.systemUTC());
    }

    @Bean
    LastUse apiKeyLastUse(DataSource dataSource, ApiKeys keys) {
        LastUse lastUse = new LastUse(JdbcClient.create(dataSource));
        keys.onRuntimeKeyUse(lastUse::used);
        return lastUse;
    }

    /** Reads every key again on each change, and each time it starts listening (the first time included). */
    @Bean
    PgChannelListener runtimeKeys(HikariDataSource dataSource, KeyTable table, ApiKeys keys) {
        return new PgChannelListener(
                dataSource,
                KeyTable.CHANNEL,
                "baton-api-keys",
                index -> replace(keys, table.load()),
                (connection, reconnected) -> replace(keys, table.load()));
    }

    private static void replace(ApiKeys keys, KeyTable.Loaded loaded) {
        keys.replaceRuntimeKeys(loaded.keys(), loaded.clockOffset());
    }

    @Bean
    TrustedProxies trustedProxies(TrustedProxyProperties properties) {
        return TrustedProxies.of(properties.trustedProxies(), properties.trustedProxiesRefresh());
    }

    @Bean
    AuditLog auditLog(DataSource dataSource, TrustedProxies trustedProxies) {
        return new AuditLog(JdbcClient.create(dataSource), Clock.systemUTC(), trustedProxies);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.SERVLET)
    static class ServletAudit {

        /** Around Spring Security's filters, so that its refusals are recorded too. */
        @Bean
        FilterRegistrationBean<AuditFilter> auditFilter(AuditLog audit) {
            FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(new AuditFilter(audit));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
            return registration;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.REACTIVE)
    static class ReactiveAudit {

        @Bean
        ReactiveAuditFilter auditFilter(AuditLog audit) {
            return new ReactiveAuditFilter(audit);
        }
    }
}
