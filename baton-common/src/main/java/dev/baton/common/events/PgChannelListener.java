package dev.baton.common.events;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.http.Backoff;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Listens on one PostgreSQL {@code NOTIFY} channel over a dedicated connection, outside the pool,
 * and hands each payload on. After a lost connection it reconnects, after a wait that grows and
 * varies ({@link Backoff}), and says so, for the service to recover whatever was announced
 * meanwhile. Reports DOWN while it is not
 * listening, so a replica that cannot hear changes is not ready.
 *
 * <p>It starts before the web server accepts requests and stops after it.
 */
public class PgChannelListener implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(PgChannelListener.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Backoff RECONNECT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

    private final HikariDataSource dataSource;
    private final String channel;
    private final String applicationName;
    private final Consumer<String> onNotification;
    private final Listening onListen;
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    /** Told each time the listener starts listening, on its own connection. */
    @FunctionalInterface
    public interface Listening {

        /**
         * @param connection the listening connection; use it only for a quick statement
         * @param reconnected whether the connection was lost before: notifications sent meanwhile are gone
         */
        void listening(Connection connection, boolean reconnected) throws SQLException;
    }

    /**
     * @param dataSource where to connect: its URL and credentials, not its pool
     * @param channel the channel, a plain lower-case identifier
     * @param applicationName the connection's {@code application_name}, as seen in {@code pg_stat_activity}
     * @param onNotification called with each notification's payload, on the listener's thread
     * @param onReconnect called when the connection was lost and is back: notifications sent meanwhile are gone
     */
    public PgChannelListener(
            HikariDataSource dataSource,
            String channel,
            String applicationName,
            Consumer<String> onNotification,
            Runnable onReconnect) {
        this(dataSource, channel, applicationName, onNotification, (connection, reconnected) -> {
            if (reconnected) {
                onReconnect.run();
            }
        });
    }

    /**
     * @param dataSource where to connect: its URL and credentials, not its pool
     * @param channel the channel, a plain lower-case identifier
     * @param applicationName the connection's {@code application_name}, as seen in {@code pg_stat_activity}
     * @param onNotification called with each notification's payload, on the listener's thread
     * @param onListen called once listening, before any notification is handed on
     */
    public PgChannelListener(
            HikariDataSource dataSource,
            String channel,
            String applicationName,
            Consumer<String> onNotification,
            Listening onListen) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("Not a plain channel name: " + channel);
        }
        this.dataSource = dataSource;
        this.channel = channel;
        this.applicationName = applicationName;
        this.onNotification = onNotification;
        this.onListen = onListen;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, channel + "-listener");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!firstListen.await(30, TimeUnit.SECONDS)) {
                log.warn("Not yet listening on {}; changes made on other replicas are seen late", channel);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen() {
        boolean reconnecting = false;
        int failures = 0;
        while (running) {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("listen " + channel);
                if (reconnecting) {
                    log.info("Listening on {} again", channel);
                }
                onListen.listening(connection, reconnecting);
                listening = true;
                failures = 0;
                firstListen.countDown();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            onNotification.accept(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    long wait = RECONNECT.delayMillis(++failures);
                    log.warn(
                            "Lost the connection listening on {} ({}); reconnecting in {} ms",
                            channel,
                            e.getMessage(),
                            wait);
                    reconnecting = true;
                    pause(wait);
                }
            }
        }
        listening = false;
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (dataSource.getUsername() != null) {
            properties.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            properties.setProperty("password", dataSource.getPassword());
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public Health health() {
        return listening
                ? Health.up().withDetail("channel", channel).build()
                : Health.down()
                        .withDetail("channel", channel)
                        .withDetail("reason", "not listening")
                        .build();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
