package dev.baton.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for tests that call a service over the network, as its users do. Every
 * instance shares one {@link HttpClient} and its connection pool, as an application would: a
 * client per call holds its threads and connections until it is collected, and thousands of
 * them starve the test JVM.
 */
public final class TestHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    public TestHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static TestHttp localhost(int port) {
        return new TestHttp("http://localhost:" + port);
    }

    /** An exchange's outcome: status, content type, body and headers. */
    public record Response(int status, String contentType, String body, HttpHeaders headers) {

        /** A response header's first value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }
    }

    /** Starts a request to {@code path}, to be finished with headers and a method. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    public Response get(String path, String apiKey) {
        HttpRequest.Builder request = request(path).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return send(request.build());
    }

    public Response send(String method, String path, String apiKey, String jsonBody) {
        return send(method, path, apiKey, jsonBody, Map.of());
    }

    /** A request with headers of its own, such as a {@code traceparent}. */
    public Response send(String method, String path, String apiKey, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder request = request(path)
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody))
                .header("Content-Type", "application/json");
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body(),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
