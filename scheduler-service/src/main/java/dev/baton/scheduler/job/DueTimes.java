package dev.baton.scheduler.job;

import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Announces on {@link #CHANNEL}, when the transaction commits, that an execution falls due at a
 * time (epoch milliseconds): every replica that sleeps past it wakes up then instead.
 */
public final class DueTimes {

    public static final String CHANNEL = "baton_scheduler";

    private DueTimes() {}

    public static void announce(JdbcClient jdbc, Instant due) {
        jdbc.sql("""
                select pg_notify(:channel, :due)""")
                .param("channel", CHANNEL)
                .param("due", String.valueOf(due.toEpochMilli()))
                .query((rs, row) -> null)
                .list();
    }
}
