package dev.baton.scheduler;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A test of what a key with scopes reaches: it stores WRITE keys as the registry does. */
public abstract class ScopedKeyTest extends SchedulerTest {

    @Autowired
    JdbcClient jdbc;

    /** A daily job of {@code name} that calls {@code service}. */
    protected static String job(String name, String service) {
        return """
                {"name": "%s", "schedule": {"type": "CRON", "cron": "0 0 2 * * *", "zone": "UTC"},
                 "target": {"service": "%s", "path": "/tasks/report"}}""".formatted(name, service);
    }

    /** Stores a WRITE key with {@code scopes} (JSON), and waits until the scheduler accepts it. */
    protected String storeKey(String scopes) throws Exception {
        String key = "baton_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("""
                insert into baton_keys.api_keys (id, name, sha256, roles, scopes)
                values (:id, :name, :sha256, '{WRITE}', :scopes::jsonb)
                """)
                .param("id", UUID.randomUUID())
                .param("name", unique("scoped-key"))
                .param(
                        "sha256",
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256")
                                        .digest(key.getBytes(StandardCharsets.UTF_8))))
                .param("scopes", scopes)
                .update();
        await().atMost(Duration.ofSeconds(1))
                .until(() -> http().get("/api/v1/auth/whoami", key).status() == 200);
        return key;
    }
}
