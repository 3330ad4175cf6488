package dev.baton.scheduler.execution;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.common.events.PgChannelListener;
import dev.baton.common.events.Watches;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Blocking queries over executions. Every transition of an execution row takes the next number
 * of the {@code execution_change} sequence, and its statement announces the job on {@link
 * #CHANNEL} (V4__execution_changes.sql); each replica hears it and wakes the queries on that
 * job's executions and on the suite's. Its listener's health, {@code executionChanges}, is part of
 * readiness.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionChangesConfiguration {

    /** The channel the database announces changed executions on, a job's id as payload. */
    static final String CHANNEL = "baton_scheduler_executions";

    /** The topic of every execution, whatever its job. */
    static final String ANY = "any";

    @Bean
    Watches executionWatches() {
        return new Watches("execution-watch");
    }

    @Bean
    PgChannelListener executionChanges(HikariDataSource dataSource, Watches executionWatches) {
        return new PgChannelListener(
                dataSource,
                CHANNEL,
                "baton-scheduler-executions",
                job -> {
                    executionWatches.wake(job);
                    executionWatches.wake(ANY);
                },
                executionWatches::wakeAll);
    }
}
