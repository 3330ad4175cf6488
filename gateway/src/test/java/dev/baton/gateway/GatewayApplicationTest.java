package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceContractTests;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@BatonServiceTest
class GatewayApplicationTest extends ServiceContractTests {

    /** Stands in for lock-service: a real HTTP server that records what reaches it. */
    private static final RecordingUpstream upstream = RecordingUpstream.start(exchange ->
            exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));

    private static final int closedPort = freePort();

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("baton.gateway.upstreams.lock-service", () -> upstream.url());
        registry.add("baton.gateway.upstreams.scheduler-service", () -> "http://localhost:" + closedPort);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop();
    }

    @Test
    void routes_a_lock_request_to_lock_service_with_the_callers_key() {
        TestHttp.Response response = http.get("/api/v1/locks/orders", TestApiKeys.READ);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"from\":\"upstream\"}");
        assertThat(upstream.seen()).contains("GET /api/v1/locks/orders Bearer " + TestApiKeys.READ);
    }

    @Test
    void passes_an_encoded_slash_in_a_name_through_unchanged() {
        TestHttp.Response response = http.get("/api/v1/locks/orders%2F42", TestApiKeys.READ);

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.seen()).contains("GET /api/v1/locks/orders%2F42 Bearer " + TestApiKeys.READ);
    }

    @Test
    void a_lease_call_reaches_lock_service_with_the_callers_key_and_is_timed_by_its_route() {
        upstream.seen().clear();

        TestHttp.Response response =
                http.send("POST", "/api/v1/locks/orders%2F42/leases", TestApiKeys.WRITE, "{\"owner\":\"a\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"from\":\"upstream\"}");
        assertThat(response.header("X-Baton-Upstream")).isEqualTo("localhost:" + upstream.port());
        assertThat(upstream.seen())
                .containsExactly("POST /api/v1/locks/orders%2F42/leases Bearer " + TestApiKeys.WRITE);
        assertThat(http.get("/actuator/prometheus", TestApiKeys.READ).body())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\"[^}]*status=\"200\""
                        + "[^}]*uri=\"/api/v1/locks/\\{name}/leases\"[^}]*} [1-9]");
    }

    @Test
    void a_lease_call_without_the_write_role_never_reaches_lock_service() {
        upstream.seen().clear();

        TestHttp.Response anonymous =
                http.send("DELETE", "/api/v1/locks/orders/leases/" + UUID.randomUUID(), null, null);
        TestHttp.Response reader =
                http.send("POST", "/api/v1/semaphores/pool/leases", TestApiKeys.READ, "{\"owner\":\"a\",\"limit\":2}");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.isProblem()).isTrue();
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.isProblem()).isTrue();
        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void a_url_the_firewall_rejects_is_a_400_problem() {
        TestHttp.Response response = http.get("/api/v1/locks/a%2E%2E%2Fb/..;/x", TestApiKeys.READ);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
    }

    @Test
    void refuses_a_request_without_a_key_before_it_reaches_the_service() {
        upstream.seen().clear();

        TestHttp.Response response = http.get("/api/v1/locks/orders", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void a_body_over_the_limit_is_a_413_problem_whether_its_length_is_declared_or_not() throws Exception {
        upstream.seen().clear();
        byte[] huge = ("{\"owner\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);

        TestHttp.Response declared = http.send(http.request("/api/v1/locks/orders/leases")
                .header("Authorization", "Bearer " + TestApiKeys.WRITE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge))
                .build());
        assertThat(upstream.seen())
                .as("a declared length over the limit never reaches the service")
                .isEmpty();
        TestHttp.Response chunked = http.send(http.request("/api/v1/locks/orders/leases")
                .header("Authorization", "Bearer " + TestApiKeys.WRITE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
                .build());

        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.isProblem()).isTrue();
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.isProblem()).isTrue();
    }

    @Test
    void an_unreachable_service_is_a_503_problem() {
        TestHttp.Response response = http.get("/api/v1/jobs", TestApiKeys.READ);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.json().path("detail").asString()).contains("not reachable");
    }

    @Test
    void serves_each_services_openapi_document_under_the_services_name_without_a_key() {
        TestHttp.Response response = http.get("/lock-service/v3/api-docs", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.seen()).contains("GET /v3/api-docs null");
    }

    @Test
    void swagger_ui_lists_every_service() {
        TestHttp.Response response = http.get("/v3/api-docs/swagger-config", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()
                        .path("urls")
                        .valueStream()
                        .map(url -> url.path("name").asString()))
                .contains("registry", "lock-service", "scheduler-service");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
