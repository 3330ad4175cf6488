package dev.baton.scheduler.workflow;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import dev.baton.common.events.Watches;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What replicas tell each other about runs, on {@link #CHANNEL}: {@code due:<epoch ms>} when a
 * pending run falls due (a schedule, a trigger), which wakes every replica's {@link RunLoop} by
 * then; {@code run:<id>} when a run or its nodes changed (V7__workflows.sql), which wakes the
 * blocking queries on that run. Its listener's health, {@code workflowEvents}, is part of readiness.
 */
@Configuration(proxyBeanMethods = false)
class WorkflowEventsConfiguration {

    static final String CHANNEL = "baton_scheduler_workflows";

    private static final String DUE = "due:";
    private static final String RUN = "run:";

    /** Announces, when the transaction commits, that a pending run falls due at {@code due}. */
    static void announceDue(JdbcClient jdbc, Instant due) {
        jdbc.sql("""
                select pg_notify(:channel, :payload)""")
                .param("channel", CHANNEL)
                .param("payload", DUE + due.toEpochMilli())
                .query((rs, row) -> null)
                .list();
    }

    @Bean
    Watches runWatches() {
        return new Watches("workflow-run-watch");
    }

    @Bean
    PgChannelListener workflowEvents(HikariDataSource dataSource, RunLoop loop, Watches runWatches, Clock clock) {
        return new PgChannelListener(
                dataSource,
                CHANNEL,
                "baton-scheduler-workflows",
                payload -> {
                    if (payload.startsWith(RUN)) {
                        runWatches.wake(payload.substring(RUN.length()));
                    } else if (payload.startsWith(DUE)) {
                        loop.wakeBy(Instant.ofEpochMilli(Long.parseLong(payload.substring(DUE.length()))));
                    }
                },
                () -> {
                    loop.wakeBy(clock.instant());
                    runWatches.wakeAll();
                });
    }
}
