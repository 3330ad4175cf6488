package dev.baton.common.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.security.ApiKeyProperties;
import dev.baton.common.security.ApiKeys;
import dev.baton.test.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A runtime key's expiry is judged on the database's clock, whatever this service's says: a
 * service whose clock is an hour behind refuses a key the database sees expired, and one an hour
 * ahead accepts a key the database sees valid.
 */
class KeyExpiryTest {

    private static DriverManagerDataSource dataSource;
    private static JdbcClient jdbc;

    @BeforeAll
    static void connect() {
        TestDatabase database = TestDatabase.get();
        dataSource = new DriverManagerDataSource(database.url(), database.user(), database.password());
        jdbc = JdbcClient.create(dataSource);
    }

    /** Stores a key expiring {@code fromNow} after the database's now, and returns the key. */
    private static String storeKey(String fromNow) {
        String key = "baton_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("""
                insert into baton_keys.api_keys (id, name, sha256, roles, expires_at)
                values (:id, :name, :sha256, '{READ}', now() + :fromNow::interval)
                """)
                .param("id", UUID.randomUUID())
                .param("name", "expiry-" + UUID.randomUUID())
                .param("sha256", ApiKeys.sha256(key))
                .param("fromNow", fromNow)
                .update();
        return key;
    }

    /** The keys as a service with this clock holds them after reading the table. */
    private static ApiKeys keysOfAServiceWith(Clock clock) {
        KeyTable table = new KeyTable(dataSource, JsonMapper.builder().build(), clock);
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(List.of()), clock);
        KeyTable.Loaded loaded = table.load();
        keys.replaceRuntimeKeys(loaded.keys(), loaded.clockOffset());
        return keys;
    }

    @Test
    void a_service_clock_an_hour_behind_refuses_a_key_the_database_sees_expired() {
        String key = storeKey("-1 second");

        ApiKeys behind = keysOfAServiceWith(Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));

        assertThat(behind.authenticate(key)).isEmpty();
    }

    @Test
    void a_service_clock_an_hour_ahead_accepts_a_key_the_database_sees_valid() {
        String key = storeKey("30 minutes");

        ApiKeys ahead = keysOfAServiceWith(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));

        assertThat(ahead.authenticate(key)).isPresent();
    }

    @Test
    void the_offset_is_the_database_clock_less_the_service_clock() {
        KeyTable table = new KeyTable(
                dataSource, JsonMapper.builder().build(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-7)));

        Duration offset = table.load().clockOffset();

        assertThat(offset)
                .isBetween(
                        Duration.ofMinutes(7).minusSeconds(1),
                        Duration.ofMinutes(7).plusSeconds(1));
    }
}
