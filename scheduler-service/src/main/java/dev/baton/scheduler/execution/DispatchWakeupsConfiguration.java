package dev.baton.scheduler.execution;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import dev.baton.scheduler.job.DueTimes;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hears on {@link DueTimes#CHANNEL} the due times that job changes, triggers, retries and
 * recoveries announce on any replica, and wakes this replica's dispatcher by then. Its health,
 * {@code dispatchWakeups}, is part of readiness.
 */
@Configuration(proxyBeanMethods = false)
class DispatchWakeupsConfiguration {

    @Bean
    PgChannelListener dispatchWakeups(HikariDataSource dataSource, Dispatcher dispatcher, Clock clock) {
        return new PgChannelListener(
                dataSource,
                DueTimes.CHANNEL,
                "baton-scheduler-wakeups",
                payload -> dispatcher.wakeBy(Instant.ofEpochMilli(Long.parseLong(payload))),
                () -> dispatcher.wakeBy(clock.instant()));
    }
}
