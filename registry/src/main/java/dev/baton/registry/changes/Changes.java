package dev.baton.registry.changes;

import dev.baton.common.events.Watches;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Blocking queries over the registry's tables. A write announces its topic (such as
 * {@code service:orders} or {@code config:shop}) with {@code NOTIFY} on {@link #CHANNEL} in its
 * own transaction; every replica hears it and wakes the blocking queries waiting on that topic,
 * which read again. The audit log, which every service writes unannounced, is the one topic
 * polled: the registry reads its newest entry's id while a blocking query waits on {@link #AUDIT}.
 */
@Component
public class Changes extends Watches {

    /** The channel every registry replica listens on. */
    public static final String CHANNEL = "baton_registry";

    /** The topic of the audit log, which every service writes and nothing announces: it is polled. */
    public static final String AUDIT = "audit";

    private final JdbcClient jdbc;

    Changes(JdbcClient jdbc) {
        super("registry-watch");
        this.jdbc = jdbc;
    }

    /** Announces a change of {@code topic} when the current transaction commits. */
    public void announce(String topic) {
        jdbc.sql("select pg_notify(:channel, :topic)")
                .param("channel", CHANNEL)
                .param("topic", topic)
                .query((rs, row) -> 1)
                .list();
    }
}
