package dev.baton.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every way a request can be wrong, sent over real HTTP to a fixture controller: always a problem, never a stack trace. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.application.name=fixture",
            "baton.security.api-keys[0].name=writer",
            "baton.security.api-keys[0].sha256=" + ProblemDetailsTest.KEY_SHA256,
            "baton.security.api-keys[0].roles=WRITE"
        })
class ProblemDetailsTest {

    static final String KEY = "fixture-key";
    // printf %s fixture-key | sha256sum
    static final String KEY_SHA256 = "66e7c82b49bb291dd09c8e020448311c4a7bb96aeb5c5db769f66812b13a50b5";

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    enum Mode {
        EXCLUSIVE,
        SHARED
    }

    record Acquire(
            @NotBlank String owner,
            @PositiveOrZero @Max(3_600_000) long ttlMs,
            Mode mode) {}

    @SpringBootApplication
    @RestController
    static class Fixture {

        @PostMapping("/api/v1/fixture/{name}")
        Map<String, Object> acquire(
                @PathVariable @Pattern(regexp = "[A-Za-z0-9._:/-]{1,200}") String name,
                @Valid @RequestBody Acquire body) {
            if (body.owner().equals("boom")) {
                throw new IllegalStateException("internal detail that must not leak");
            }
            if (body.owner().equals("outage")) {
                throw new CannotGetJdbcConnectionException(
                        "Failed to obtain JDBC Connection", new SQLException("Connection refused", "08001"));
            }
            return Map.of("name", name, "owner", body.owner());
        }
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .header("Authorization", "Bearer " + KEY)
                                .header("Content-Type", contentType)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotEmpty();
        assertThat(response.body()).doesNotContain("Exception", "at dev.baton");
        return problem;
    }

    @Test
    void a_valid_request_passes() throws Exception {
        assertThat(post(
                                "/api/v1/fixture/orders",
                                "application/json",
                                "{\"owner\":\"a\",\"ttlMs\":5,\"mode\":\"SHARED\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void invalid_fields_are_listed() throws Exception {
        JsonNode problem =
                problem(post("/api/v1/fixture/orders", "application/json", "{\"owner\":\"\",\"ttlMs\":-1}"), 400);

        assertThat(problem.path("type").asString()).isEqualTo("urn:baton:problem:validation");
        assertThat(problem.path("errors")
                        .valueStream()
                        .map(error -> error.path("field").asString()))
                .containsExactlyInAnyOrder("owner", "ttlMs");
    }

    @Test
    void a_bad_path_variable_is_listed() throws Exception {
        JsonNode problem =
                problem(post("/api/v1/fixture/bad%20name", "application/json", "{\"owner\":\"a\",\"ttlMs\":1}"), 400);

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("name");
    }

    @Test
    void malformed_json_is_a_400() throws Exception {
        problem(post("/api/v1/fixture/orders", "application/json", "{\"owner\":"), 400);
    }

    @Test
    void an_unknown_enum_value_names_its_field() throws Exception {
        JsonNode problem = problem(
                post(
                        "/api/v1/fixture/orders",
                        "application/json",
                        "{\"owner\":\"a\",\"ttlMs\":1,\"mode\":\"SIDEWAYS\"}"),
                400);

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("mode");
    }

    @Test
    void a_wrong_type_names_its_field() throws Exception {
        JsonNode problem = problem(
                post("/api/v1/fixture/orders", "application/json", "{\"owner\":\"a\",\"ttlMs\":\"soon\"}"), 400);

        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("ttlMs");
    }

    @Test
    void an_unsupported_content_type_is_a_415() throws Exception {
        problem(post("/api/v1/fixture/orders", "text/plain", "hello"), 415);
    }

    @Test
    void an_unexpected_failure_is_a_500_without_internals() throws Exception {
        JsonNode problem =
                problem(post("/api/v1/fixture/orders", "application/json", "{\"owner\":\"boom\",\"ttlMs\":1}"), 500);

        assertThat(problem.path("detail").asString()).contains("incident").doesNotContain("internal detail");
    }

    @Test
    void a_database_outage_is_a_503_to_retry() throws Exception {
        HttpResponse<String> response =
                post("/api/v1/fixture/orders", "application/json", "{\"owner\":\"outage\",\"ttlMs\":1}");

        problem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
    }

    @Test
    void a_body_over_the_limit_is_a_413_whether_its_length_is_declared_or_not() throws Exception {
        String huge = "{\"owner\":\"" + "x".repeat(3 * 1024 * 1024) + "\",\"ttlMs\":1}";

        problem(post("/api/v1/fixture/orders", "application/json", huge), 413);
        problem(
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://localhost:" + port + "/api/v1/fixture/orders"))
                                        .header("Authorization", "Bearer " + KEY)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()),
                413);
    }

    @Test
    void a_url_the_container_rejects_is_a_400_problem() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream()
                    .write(("GET /api/v1/fixture/%zz HTTP/1.1\r\nHost: localhost\r\n" + "Authorization: Bearer " + KEY
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 400").contains("application/problem+json");
        }
    }

    @Test
    void text_that_cannot_be_stored_names_its_field_and_why() throws Exception {
        JsonNode nul = problem(
                post("/api/v1/fixture/orders", "application/json", "{\"owner\":\"a\\u0000b\",\"ttlMs\":1}"), 400);
        assertThat(nul.path("errors").get(0).path("field").asString()).isEqualTo("owner");
        assertThat(nul.path("errors").get(0).path("message").asString()).contains("U+0000");

        JsonNode surrogate =
                problem(post("/api/v1/fixture/orders", "application/json", "{\"owner\":\"\\ud800\",\"ttlMs\":1}"), 400);
        assertThat(surrogate.path("errors").get(0).path("field").asString()).isEqualTo("owner");
        assertThat(surrogate.path("errors").get(0).path("message").asString()).contains("unpaired surrogate");
    }

    @Test
    void a_member_named_twice_is_a_400() throws Exception {
        problem(
                post("/api/v1/fixture/orders", "application/json", "{\"owner\":\"a\",\"owner\":\"b\",\"ttlMs\":1}"),
                400);
    }

    @Test
    void a_query_parameter_that_is_not_storable_utf8_names_the_parameter() throws Exception {
        JsonNode nul = problem(
                post("/api/v1/fixture/orders?limit=1&prefix=a%00", "application/json", "{\"owner\":\"a\",\"ttlMs\":1}"),
                400);
        assertThat(nul.path("errors").get(0).path("field").asString()).isEqualTo("prefix");

        JsonNode invalid = problem(
                post("/api/v1/fixture/orders?cursor=%FF", "application/json", "{\"owner\":\"a\",\"ttlMs\":1}"), 400);
        assertThat(invalid.path("errors").get(0).path("field").asString()).isEqualTo("cursor");
        assertThat(invalid.path("errors").get(0).path("message").asString()).contains("UTF-8");
    }

    @Test
    void the_error_path_asked_for_directly_is_a_404_problem() throws Exception {
        problem(
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/error"))
                                        .header("Authorization", "Bearer " + KEY)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()),
                404);
    }
}
