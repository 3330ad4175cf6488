package dev.baton.lock.engine;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This replica's place among the others: it hears every replica's announcements on
 * {@link LeaseStore#CHANNEL}, and records itself, with the backend of its LISTEN connection, as
 * alive before it serves a request. The listener's health, {@code leaseEvents}, is part of
 * readiness.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LeaseProperties.class)
class ReplicaMembership {

    @Bean
    PgChannelListener leaseEvents(HikariDataSource dataSource, LeaseEngine engine) {
        return new PgChannelListener(
                dataSource,
                LeaseStore.CHANNEL,
                "baton-lock-service-events",
                payload -> engine.onEvent(LeaseEvents.parse(payload)),
                (connection, reconnected) -> {
                    try (PreparedStatement statement = connection.prepareStatement(
                                    "select pid, backend_start from pg_stat_activity where pid = pg_backend_pid()");
                            ResultSet row = statement.executeQuery()) {
                        row.next();
                        engine.listening(row.getInt(1), row.getObject(2, OffsetDateTime.class), reconnected);
                    }
                });
    }
}
