package dev.baton.lock.lease;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hears the changes of every replica on {@link LeaseStore#CHANNEL} and passes them to
 * {@link LeaseService}; its health, {@code leaseEvents}, is part of readiness.
 */
@Configuration(proxyBeanMethods = false)
class LeaseEventsConfiguration {

    @Bean
    PgChannelListener leaseEvents(HikariDataSource dataSource, LeaseService service) {
        return new PgChannelListener(dataSource, LeaseStore.CHANNEL, "baton-lock-service-events",
                payload -> service.onEvent(LeaseEvents.parse(payload)), service::recover);
    }
}
