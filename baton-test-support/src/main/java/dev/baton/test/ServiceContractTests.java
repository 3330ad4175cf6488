package dev.baton.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What every Baton service promises its operators and callers, whatever it does: open probes
 * and API documents, metrics, and API-key security that answers in problem details. Each
 * service's test extends this class.
 */
public abstract class ServiceContractTests {

    @LocalServerPort
    private int port;

    protected TestHttp http;

    @BeforeEach
    void connect() {
        http = TestHttp.localhost(port);
    }

    @Test
    void health_and_its_probe_groups_are_open_and_up() {
        for (String path :
                new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"}) {
            TestHttp.Response response = http.get(path, null);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.json().path("status").asString()).as(path).isEqualTo("UP");
        }
    }

    @Test
    void openapi_document_is_open_and_declares_the_api_key_scheme() {
        TestHttp.Response response = http.get("/v3/api-docs", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode document = response.json();
        assertThat(document.path("openapi").asString()).startsWith("3.");
        assertThat(document.path("components")
                        .path("securitySchemes")
                        .path("apiKey")
                        .path("scheme")
                        .asString())
                .isEqualTo("bearer");
    }

    @Test
    void swagger_ui_is_open() {
        TestHttp.Response response = http.get("/swagger-ui/index.html", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/html");
    }

    @Test
    void request_without_a_key_is_refused_with_401_problem() {
        TestHttp.Response response = http.get("/api/v1/auth/whoami", null);

        assertUnauthorized(response);
        assertThat(response.json().path("detail").asString()).contains("Authorization: Bearer");
    }

    @Test
    void request_with_an_unknown_key_is_refused_with_401_problem() {
        assertUnauthorized(http.get("/api/v1/auth/whoami", "not-a-configured-key"));
    }

    @Test
    void metrics_need_a_key() {
        assertUnauthorized(http.get("/actuator/prometheus", null));

        TestHttp.Response response = http.get("/actuator/prometheus", TestApiKeys.READ);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void whoami_names_the_key_and_its_implied_roles() {
        JsonNode admin = http.get("/api/v1/auth/whoami", TestApiKeys.ADMIN).json();
        assertThat(admin.path("name").asString()).isEqualTo("test-admin");
        assertThat(admin.path("roles").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("READ", "WRITE", "ADMIN");

        JsonNode read = http.get("/api/v1/auth/whoami", TestApiKeys.READ).json();
        assertThat(read.path("roles").valueStream().map(JsonNode::asString)).containsExactly("READ");
    }

    @Test
    void key_is_also_accepted_in_the_x_api_key_header() {
        TestHttp.Response response = http.send(http.request("/api/v1/auth/whoami")
                .header("X-Api-Key", TestApiKeys.WRITE)
                .GET()
                .build());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("name").asString()).isEqualTo("test-write");
    }

    @Test
    void a_change_with_a_read_only_key_is_refused_with_403_problem() {
        TestHttp.Response response = http.send("POST", "/api/v1/auth/whoami", TestApiKeys.READ, "{}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("detail").asString()).contains("test-read");
    }

    @Test
    void actuator_changes_need_the_admin_role() {
        TestHttp.Response response = http.send(http.request("/actuator/shutdown")
                .header("Authorization", "Bearer " + TestApiKeys.WRITE)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.isProblem()).isTrue();
    }

    @Test
    void unknown_path_is_a_404_problem() {
        TestHttp.Response response = http.get("/api/v1/no-such-thing", TestApiKeys.READ);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("status").asInt()).isEqualTo(404);
    }

    @Test
    void the_error_path_asked_for_directly_is_a_404_problem() {
        TestHttp.Response response = http.get("/error", TestApiKeys.READ);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
    }

    @Test
    void a_query_parameter_that_is_not_storable_utf8_is_a_400_problem_naming_it() {
        for (String query : new String[] {"prefix=a%00b", "prefix=%FF", "prefix=%ED%A0%80"}) {
            TestHttp.Response response = http.get("/api/v1/whoami?limit=1&" + query, TestApiKeys.READ);

            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.isProblem()).as(query).isTrue();
            assertThat(response.json().path("errors").get(0).path("field").asString())
                    .as(query)
                    .isEqualTo("prefix");
        }
    }

    @Test
    void a_url_or_headers_over_the_servers_limits_are_answered_as_problems() throws IOException {
        String longUrl = "GET /api/v1/whoami?q=" + "x".repeat(9_000) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n";
        assertThat(raw(longUrl)).matches("(?s)HTTP/1\\.1 4(00|14) .*").contains("application/problem+json");

        String largeHeaders = "GET /api/v1/whoami HTTP/1.1\r\nHost: localhost\r\nX-Large: " + "y".repeat(9_000)
                + "\r\nConnection: close\r\n\r\n";
        assertThat(raw(largeHeaders)).matches("(?s)HTTP/1\\.1 4(00|31) .*").contains("application/problem+json");
    }

    /** Sends {@code request} as it is, bytes on a socket, and answers what came back until the server closed. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertUnauthorized(TestHttp.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().path("status").asInt()).isEqualTo(401);
    }
}
