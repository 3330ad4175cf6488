package dev.baton.lock.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Keys created at runtime, as the registry stores them in the shared table: the lock service
 * hears of each change, applies their scopes on its lease routes and controllers, refuses a
 * revoked key at once, and records every change in the audit log.
 */
@BatonServiceTest
class ScopedKeysTest {

    private static final String ACQUIRE = "{\"owner\":\"w\",\"ttlMs\":30000,\"waitMs\":0}";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestHttp http;
    String team;

    @BeforeEach
    void setUp() {
        http = TestHttp.localhost(port);
        team = "team-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stores a key as the registry does, and waits until the service accepts it. */
    private String storeKey(String name, String roles, String scopes) throws Exception {
        String key = "baton_" + UUID.randomUUID().toString().replace("-", "");
        String digest = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        jdbc.sql("""
                insert into baton_keys.api_keys (id, name, sha256, roles, scopes)
                values (:id, :name, :sha256, :roles::text[], :scopes::jsonb)
                """)
                .param("id", UUID.randomUUID())
                .param("name", name)
                .param("sha256", digest)
                .param("roles", roles)
                .param("scopes", scopes)
                .update();
        await().atMost(Duration.ofSeconds(1))
                .until(() -> http.get("/api/v1/auth/whoami", key).status() == 200);
        return key;
    }

    private String lease(String name) {
        return "/api/v1/locks/" + name.replace("/", "%2F") + "/leases";
    }

    @Test
    void a_key_scoped_to_team_a_takes_team_a_x_and_is_refused_team_b_x_and_config() throws Exception {
        String key = storeKey(team + "-locks", "{WRITE}", "{\"locks\": [\"" + team + "-a/\"]}");

        TestHttp.Response granted = http.send("POST", lease(team + "-a/x"), key, ACQUIRE);
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(http.send(
                                "PUT",
                                lease(team + "-a/x") + "/"
                                        + granted.json().path("leaseId").asString(),
                                key,
                                "{\"ttlMs\":30000}")
                        .status())
                .isEqualTo(200);

        TestHttp.Response refused = http.send("POST", lease(team + "-b/x"), key, ACQUIRE);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("missingScope").path("kind").asString()).isEqualTo("locks");
        assertThat(refused.json().path("missingScope").path("name").asString()).isEqualTo(team + "-b/x");

        TestHttp.Response read = http.get("/api/v1/locks/" + team + "-b%2Fx", key);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.json().path("missingScope").path("name").asString()).isEqualTo(team + "-b/x");
        assertThat(http.get("/api/v1/locks/" + team + "-a%2Fx", key).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/locks?prefix=" + team + "-a/", key).status())
                .isEqualTo(200);
        assertThat(http.get("/api/v1/locks?prefix=" + team, key).status()).isEqualTo(403);

        TestHttp.Response semaphore = http.send(
                "POST",
                "/api/v1/semaphores/" + team + "-a%2Fx/leases",
                key,
                "{\"owner\":\"w\",\"ttlMs\":30000,\"waitMs\":0,\"limit\":2}");
        assertThat(semaphore.status()).isEqualTo(403);
        assertThat(semaphore.json().path("missingScope").path("kind").asString())
                .isEqualTo("semaphores");
        assertThat(semaphore.json().path("missingScope").has("name")).isFalse();
    }

    @Test
    void a_revoked_key_is_refused_on_the_lease_routes_within_a_second() throws Exception {
        String key = storeKey(team + "-revoked", "{WRITE}", null);
        assertThat(http.send("POST", lease(team + "/x"), key, ACQUIRE).status()).isEqualTo(201);

        jdbc.sql("delete from baton_keys.api_keys where name = :name")
                .param("name", team + "-revoked")
                .update();
        long revoked = System.nanoTime();
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> http.send("POST", lease(team + "/y"), key, ACQUIRE).status() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).isLessThan(Duration.ofSeconds(1));
        assertThat(http.get("/api/v1/locks/" + team + "%2Fx", key).status()).isEqualTo(401);
    }

    @Test
    void a_write_key_is_refused_force_release_and_every_lease_change_is_audited() throws Exception {
        String name = team + "-audited";
        String key = storeKey(name, "{WRITE}", null);
        JsonNode lease = http.send("POST", lease(team + "/x"), key, ACQUIRE).json();
        http.send("DELETE", lease(team + "/x") + "/" + lease.path("leaseId").asString(), key, null);
        assertThat(http.send("DELETE", "/api/v1/locks/" + team + "%2Fx", key, null)
                        .status())
                .isEqualTo(403);
        assertThat(http.send("DELETE", "/api/v1/locks/" + team + "%2Fx", TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> jdbc.sql("select count(*) from baton_keys.audit where key_name = :name")
                                .param("name", name)
                                .query(Long.class)
                                .single()
                        == 3);
        assertThat(jdbc.sql("""
                select method || ' ' || kind || ' ' || name || ' ' || status || ' ' || remote_address
                from baton_keys.audit where key_name = :name order by id
                """).param("name", name).query(String.class).list())
                .containsExactly(
                        "POST locks " + team + "/x 201 127.0.0.1",
                        "DELETE locks " + team + "/x 204 127.0.0.1",
                        "DELETE locks " + team + "/x 403 127.0.0.1");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> jdbc.sql("select last_used_at is not null from baton_keys.api_keys where name = :name")
                        .param("name", name)
                        .query(Boolean.class)
                        .single());
    }
}
