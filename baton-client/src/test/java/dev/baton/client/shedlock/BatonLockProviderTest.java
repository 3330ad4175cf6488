package dev.baton.client.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.client.BatonClient;
import dev.baton.client.LockServiceFixture;
import dev.baton.client.lock.LockLease;
import dev.baton.lock.api.LeaseLimits;
import dev.baton.test.TestApiKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** The ShedLock contract, met by Baton's lock service over real HTTP, and what Baton adds to it. */
class BatonLockProviderTest extends LockProviderContractTests {

    private static final BatonClient client = LockServiceFixture.client("shedlock-contract");
    private static final LockProvider provider = new BatonLockProvider(client);

    private final Logger leaseLog = (Logger) LoggerFactory.getLogger(LockLease.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level leaseLogLevel;

    @Override
    protected LockProvider provider() {
        return provider;
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void captureTheLeaseLog() {
        leaseLogLevel = leaseLog.getLevel();
        leaseLog.setLevel(Level.DEBUG);
        logged.start();
        leaseLog.addAppender(logged);
    }

    @AfterEach
    void releaseTheLeaseLog() {
        leaseLog.detachAppender(logged);
        leaseLog.setLevel(leaseLogLevel);
    }

    private static String name() {
        return "baton-" + UUID.randomUUID();
    }

    private static Optional<SimpleLock> lock(String name, Duration atMost, Duration atLeast) {
        return provider.lock(new LockConfiguration(Instant.now(), name, atMost, atLeast));
    }

    private static JsonNode inspect(String name) {
        return client.http().call("GET", "/api/v1/locks/shedlock%2F" + name, null, Duration.ZERO);
    }

    /** What the lease log said about the lock {@code name}, as "LEVEL message". */
    private List<String> logFor(String name) {
        synchronized (logged) {
            return logged.list.stream()
                    .filter(event -> event.getFormattedMessage().contains("'shedlock/" + name + "'"))
                    .map(event -> event.getLevel() + " " + event.getFormattedMessage())
                    .toList();
        }
    }

    @Test
    void the_shortest_ttl_is_the_lock_services() {
        assertThat(BatonLockProvider.MIN_TTL).isEqualTo(Duration.ofMillis(LeaseLimits.MIN_TTL_MS));
    }

    @ParameterizedTest(name = "lockAtMostFor {0} ms")
    @ValueSource(longs = {1, 50, 99})
    void a_lock_at_most_for_under_the_shortest_ttl_is_a_lease_of_the_shortest_ttl(long millis) {
        String name = name();

        assertThat(lock(name, Duration.ofMillis(millis), Duration.ZERO)).isPresent();

        JsonNode holder = inspect(name).path("holders").get(0);
        assertThat(Duration.between(
                        Instant.parse(holder.path("grantedAt").asString()),
                        Instant.parse(holder.path("expiresAt").asString())))
                .as("to the microsecond PostgreSQL keeps")
                .isCloseTo(BatonLockProvider.MIN_TTL, Duration.ofMillis(1));
    }

    @ParameterizedTest(name = "lockAtLeastFor {0} ms")
    @ValueSource(longs = {50, 99})
    void an_early_unlock_before_a_lock_at_least_for_under_the_shortest_ttl_keeps_the_lease_for_the_shortest_ttl(
            long millis) {
        String name = name();
        SimpleLock lock =
                lock(name, Duration.ofSeconds(30), Duration.ofMillis(millis)).orElseThrow();

        long unlocked = System.nanoTime();
        lock.unlock();
        JsonNode holders = inspect(name).path("holders");

        assertThat(Duration.ofNanos(System.nanoTime() - unlocked))
                .as("time to unlock and inspect")
                .isLessThan(BatonLockProvider.MIN_TTL);
        assertThat(holders).hasSize(1);
        assertThat(Duration.between(
                        Instant.parse(holders.get(0).path("grantedAt").asString()),
                        Instant.parse(holders.get(0).path("expiresAt").asString())))
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void a_lock_that_runs_out_at_lock_at_most_for_is_not_logged_as_lost() {
        String name = name();
        assertThat(lock(name, Duration.ofMillis(300), Duration.ZERO)).isPresent();

        await().atMost(Duration.ofSeconds(3)).until(() -> logFor(name).size() == 1);

        assertThat(logFor(name)).singleElement().asString().startsWith("DEBUG").contains("its TTL ran out");
        assertThat(lock(name, Duration.ofSeconds(30), Duration.ZERO)).isPresent();
    }

    @Test
    void a_lock_kept_until_lock_at_least_for_is_not_logged_as_lost() {
        String name = name();
        lock(name, Duration.ofSeconds(30), Duration.ofMillis(300)).orElseThrow().unlock();

        await().atMost(Duration.ofSeconds(3)).until(() -> logFor(name).size() == 1);

        assertThat(logFor(name)).singleElement().asString().startsWith("DEBUG").contains("its TTL ran out");
        assertThat(lock(name, Duration.ofSeconds(30), Duration.ZERO)).isPresent();
    }

    @Test
    void a_lock_force_released_by_an_admin_is_logged_as_lost_when_extended() {
        String name = name();
        SimpleLock lock = lock(name, Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
        try (BatonClient admin = BatonClient.builder()
                .baseUrl("http://localhost:" + LockServiceFixture.service().port())
                .apiKey(TestApiKeys.ADMIN)
                .build()) {
            admin.http().call("DELETE", "/api/v1/locks/shedlock%2F" + name, null, Duration.ZERO);
        }

        assertThat(lock.extend(Duration.ofSeconds(30), Duration.ZERO)).isEmpty();

        assertThat(logFor(name)).singleElement().asString().startsWith("WARN").contains("Lost lease");
    }
}
