package dev.baton.gateway.console;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The console's calls to Baton's API, each with the signed-in user's own key: the gateway's
 * rules and then the service's decide, as for any client. A refusal or a failure comes back as a
 * {@link ConsoleApiException} carrying the service's problem.
 */
final class ConsoleApi {

    /** The longest the console waits for an answer that is not a blocking query. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebClient web;
    private final ConsoleProperties properties;
    private final Environment environment;

    ConsoleApi(WebClient.Builder builder, ConsoleProperties properties, Environment environment) {
        this.web = builder.build();
        this.properties = properties;
        this.environment = environment;
    }

    /** One path segment, a name with {@code /} in it included, as the API takes it. */
    static String segment(String name) {
        return UriUtils.encodePathSegment(name, StandardCharsets.UTF_8);
    }

    /** A query parameter's value, encoded. */
    static String query(String value) {
        return UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8);
    }

    Mono<JsonNode> get(ConsoleUser user, String path) {
        return exchange(user, HttpMethod.GET, path, null, TIMEOUT).map(Answer::body);
    }

    /** A blocking query: answers once the index passes {@code index}, or after {@code wait}. */
    Mono<Answer> watch(ConsoleUser user, String path, long index, Duration wait) {
        String separator = path.contains("?") ? "&" : "?";
        return exchange(
                user,
                HttpMethod.GET,
                path + separator + "index=" + index + "&wait=" + wait.toSeconds() + "s",
                null,
                wait.plus(TIMEOUT));
    }

    Mono<Answer> send(ConsoleUser user, HttpMethod method, String path, Object body) {
        return send(user, method, path, body, Map.of());
    }

    /** A change, with request headers of its own such as {@code If-Match}. */
    Mono<Answer> send(ConsoleUser user, HttpMethod method, String path, Object body, Map<String, String> headers) {
        return exchange(user, method, path, body, headers, TIMEOUT);
    }

    private Mono<Answer> exchange(ConsoleUser user, HttpMethod method, String path, Object body, Duration timeout) {
        return exchange(user, method, path, body, Map.of(), timeout);
    }

    private Mono<Answer> exchange(
            ConsoleUser user,
            HttpMethod method,
            String path,
            Object body,
            Map<String, String> headers,
            Duration timeout) {
        WebClient.RequestBodySpec request = web.method(method)
                .uri(URI.create(base() + path))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + user.session().key())
                .headers(all -> headers.forEach(all::set))
                .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);
        WebClient.RequestHeadersSpec<?> ready = body == null
                ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return ready.exchangeToMono(this::answer)
                .timeout(timeout)
                .onErrorMap(WebClientRequestException.class, e -> ConsoleApiException.unreachable(e.getMessage()))
                .onErrorMap(
                        TimeoutException.class,
                        e -> ConsoleApiException.unreachable("no answer within " + timeout.toSeconds() + " s"));
    }

    private Mono<Answer> answer(ClientResponse response) {
        long index = response.headers().header("X-Baton-Index").stream()
                .findFirst()
                .map(Long::parseLong)
                .orElse(-1L);
        if (response.statusCode().isError()) {
            return response.bodyToMono(JsonNode.class)
                    .onErrorResume(e -> Mono.empty())
                    .defaultIfEmpty(JsonNodeFactory.instance.objectNode())
                    .flatMap(problem -> Mono.error(new ConsoleApiException(
                            HttpStatus.valueOf(response.statusCode().value()), problem)));
        }
        return response.bodyToMono(JsonNode.class)
                .defaultIfEmpty(JsonNodeFactory.instance.nullNode())
                .map(body -> new Answer(body, index));
    }

    private String base() {
        if (properties.apiUrl() != null) {
            return properties.apiUrl().toString().replaceAll("/+$", "");
        }
        return "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
    }

    /** An answer's body and its {@code X-Baton-Index}, or -1 without one. */
    record Answer(JsonNode body, long index) {}
}
