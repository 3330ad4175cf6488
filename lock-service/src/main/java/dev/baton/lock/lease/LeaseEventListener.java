package dev.baton.lock.lease;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Listens on {@link LeaseStore#CHANNEL} over one dedicated connection, outside the pool, and
 * passes each change to {@link LeaseService}. After a lost connection it reconnects and asks the
 * service to recover whatever it may have missed. Reports DOWN while it is not listening, so a
 * replica that cannot hear grants is not ready.
 */
@Component("leaseEvents")
class LeaseEventListener implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(LeaseEventListener.class);

    private final HikariDataSource dataSource;
    private final LeaseService service;
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    LeaseEventListener(HikariDataSource dataSource, LeaseService service) {
        this.dataSource = dataSource;
        this.service = service;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "lease-events");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!firstListen.await(30, TimeUnit.SECONDS)) {
                log.warn("Not yet listening for lease events; waiters on other replicas' releases wait for the sweeper");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen() {
        boolean reconnecting = false;
        while (running) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("listen " + LeaseStore.CHANNEL);
                listening = true;
                firstListen.countDown();
                if (reconnecting) {
                    log.info("Listening for lease events again");
                    service.recover();
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            service.onEvent(LeaseEvents.parse(notification.getParameter()));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    log.warn("Lost the lease event connection ({}); reconnecting in 1 s", e.getMessage());
                    reconnecting = true;
                    sleepOneSecond();
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
        properties.setProperty("ApplicationName", "baton-lock-service-events");
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
    }

    private void sleepOneSecond() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public Health health() {
        return listening ? Health.up().build() : Health.down().withDetail("reason", "not listening").build();
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

    /** Starts before the web server accepts requests, stops after it. */
    @Override
    public int getPhase() {
        return 0;
    }
}
