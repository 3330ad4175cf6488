package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ApiKeys;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Role;
import dev.baton.common.security.Scopes;
import dev.baton.test.RawHttp;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway applies the services' role and scope rules itself: what it refuses never reaches
 * a service, which stands here as a real HTTP server that records what reaches it.
 */
class GatewayAccessTest extends RecordingUpstreamTest {

    private static final String TEAM_A = "team-a-key-0123456789abcdef";
    /** A key created at runtime, as the registry's key feed hands it over. */
    @BeforeEach
    void runtimeKey() {
        keys.replaceRuntimeKeys(Map.of(
                ApiKeys.sha256(TEAM_A),
                new ApiKeyPrincipal(
                        "team-a",
                        Role.WRITE.withImplied(),
                        Scopes.of(Map.of(ResourceKind.LOCKS, List.of("team-a/"))),
                        UUID.randomUUID(),
                        null)));
    }

    @Test
    void a_write_key_is_refused_on_every_admin_route_by_the_gateway_itself() {
        String id = UUID.randomUUID().toString();
        String[][] adminRoutes = {
            {"DELETE", "/api/v1/locks/orders"},
            {"DELETE", "/api/v1/semaphores/pool"},
            {"DELETE", "/api/v1/elections/leader"},
            {"DELETE", "/api/v1/jobs/" + id},
            {"GET", "/api/v1/keys"},
            {"POST", "/api/v1/keys"},
            {"GET", "/api/v1/keys/" + id},
            {"DELETE", "/api/v1/keys/" + id},
            {"GET", "/api/v1/audit"},
            {"PUT", "/api/v1/config/shop/k"},
            {"DELETE", "/api/v1/config/shop/k"},
            {"POST", "/actuator/refresh"}
        };
        for (String[] route : adminRoutes) {
            String body = route[0].equals("POST") || route[0].equals("PUT") ? "{}" : null;
            TestHttp.Response refused = http.send(route[0], route[1], TestApiKeys.WRITE, body);
            assertThat(refused.status()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(refused.isProblem()).isTrue();
            TestHttp.Response anonymous = http.send(route[0], route[1], null, body);
            assertThat(anonymous.status()).as(route[0] + " " + route[1]).isEqualTo(401);
        }
        assertThat(upstream.seen()).isEmpty();

        for (String[] route : adminRoutes) {
            if (!route[1].startsWith("/actuator")) {
                http.send(
                        route[0],
                        route[1],
                        TestApiKeys.ADMIN,
                        route[0].equals("POST") || route[0].equals("PUT") ? "{}" : null);
            }
        }
        assertThat(upstream.seen()).hasSize(adminRoutes.length - 1);
    }

    @Test
    void a_key_scoped_to_team_a_reaches_team_a_x_and_is_refused_team_b_x_and_config() {
        TestHttp.Response granted = http.send("POST", "/api/v1/locks/team-a%2Fx/leases", TEAM_A, "{\"owner\":\"a\"}");
        assertThat(granted.status()).isEqualTo(200);
        assertThat(http.get("/api/v1/locks/team-a%2Fx", TEAM_A).status()).isEqualTo(200);
        assertThat(upstream.seen())
                .containsExactly(
                        "POST /api/v1/locks/team-a%2Fx/leases Bearer " + TEAM_A,
                        "GET /api/v1/locks/team-a%2Fx Bearer " + TEAM_A);
        upstream.seen().clear();

        TestHttp.Response lease = http.send("POST", "/api/v1/locks/team-b%2Fx/leases", TEAM_A, "{\"owner\":\"a\"}");
        assertThat(lease.status()).isEqualTo(403);
        assertThat(lease.json().path("missingScope").path("name").asString()).isEqualTo("team-b/x");
        TestHttp.Response read = http.get("/api/v1/locks/team-b%2Fx", TEAM_A);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.json().path("missingScope").path("kind").asString()).isEqualTo("locks");
        TestHttp.Response config = http.get("/api/v1/config/team-a", TEAM_A);
        assertThat(config.status()).isEqualTo(403);
        assertThat(config.json().path("missingScope").path("kind").asString()).isEqualTo("config");
        assertThat(http.get("/api/v1/jobs", TEAM_A).status()).isEqualTo(403);
        assertThat(http.send("PUT", "/api/v1/registry/services/orders/instances/1", TEAM_A, "{}")
                        .status())
                .isEqualTo(403);
        assertThat(upstream.seen()).isEmpty();
    }

    /**
     * A call the gateway refuses without reading its body (a lease call with no key, a name out of
     * scope or an invalid name; a routed call with no key or too weak a role), or refuses with no
     * body to read, leaves its connection serving the next request: also when the call arrived
     * behind another request still in flight on that connection, and was queued.
     */
    @Test
    void a_refused_call_leaves_its_connection_usable() {
        String body = "{\"owner\":\"a\"}";
        String[][] refusals = {
            {"POST", "/api/v1/locks/team-b%2Fx/leases", TEAM_A, "403"},
            {"POST", "/api/v1/locks/a%20b/leases", TestApiKeys.WRITE, "400"},
            {"POST", "/api/v1/locks/team-a%2Fx/leases", null, "401"},
            {"DELETE", "/api/v1/locks/team-b%2Fx/leases/" + UUID.randomUUID(), TEAM_A, "403"},
            {"POST", "/api/v1/keys", TestApiKeys.WRITE, "403"},
            {"POST", "/api/v1/jobs", null, "401"},
            {"GET", "/api/v1/jobs", null, "401"}
        };
        String read = RawHttp.get("/api/v1/locks/team-a%2Fx", TEAM_A);
        try (RawHttp connection = RawHttp.connect(port)) {
            for (String[] refusal : refusals) {
                String call = refusal[0].equals("POST")
                        ? RawHttp.head("POST", refusal[1], refusal[2], body.length()) + body
                        : RawHttp.head(refusal[0], refusal[1], refusal[2], -1);
                connection.write(read + call);
                assertThat(connection.status()).isEqualTo(200);
                assertThat(connection.status())
                        .as(refusal[0] + " " + refusal[1])
                        .isEqualTo(Integer.parseInt(refusal[3]));
                connection.write(read);
                assertThat(connection.status())
                        .as("the request after " + refusal[0] + " " + refusal[1])
                        .isEqualTo(200);
            }
        }
        assertThat(upstream.seen()).hasSize(2 * refusals.length).allMatch(seen -> seen.startsWith("GET "));
    }

    @Test
    void a_read_key_is_refused_changes_and_allowed_reads() {
        assertThat(http.send("POST", "/api/v1/jobs", TestApiKeys.READ, "{}").status())
                .isEqualTo(403);
        assertThat(http.send("PUT", "/api/v1/registry/services/orders/instances/1", TestApiKeys.READ, "{}")
                        .status())
                .isEqualTo(403);
        assertThat(upstream.seen()).isEmpty();
        assertThat(http.get("/api/v1/jobs", TestApiKeys.READ).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/config/shop", TestApiKeys.READ).status()).isEqualTo(200);
        assertThat(http.send("POST", "/api/v1/jobs", TestApiKeys.WRITE, "{}").status())
                .isEqualTo(200);
        assertThat(upstream.seen()).hasSize(3);
    }
}
