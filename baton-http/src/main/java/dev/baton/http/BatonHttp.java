package dev.baton.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Baton's API over {@code java.net.http}, as every Java client of Baton calls it: below one base
 * URL, with the API key as a bearer token, retried with {@link Backoff} where that is safe, and a
 * problem answer (or none) thrown as a {@link BatonException}, and with the caller's trace
 * context ({@link TracePropagation}). Thread-safe; closed, it sends nothing.
 */
public final class BatonHttp implements AutoCloseable {

    private static final Set<String> REPEATABLE_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE");

    private final URI baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Backoff backoff;
    private final JsonMapper json;
    private final TracePropagation tracing;
    private final HttpClient http;
    private volatile boolean closed;

    private BatonHttp(Builder builder) {
        this.baseUrl =
                URI.create(Objects.requireNonNull(builder.baseUrl, "baseUrl").replaceAll("/+$", ""));
        this.authorization = builder.apiKey == null || builder.apiKey.isBlank() ? null : "Bearer " + builder.apiKey;
        this.requestTimeout = Objects.requireNonNull(builder.requestTimeout, "requestTimeout");
        if (builder.maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + builder.maxAttempts);
        }
        this.maxAttempts = builder.maxAttempts;
        this.backoff = Objects.requireNonNull(builder.backoff, "backoff");
        this.json = Objects.requireNonNull(builder.json, "json");
        this.tracing = Objects.requireNonNull(builder.tracing, "tracing");
        this.http =
                HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * An answer: one that was no problem, but where a method says it reads problems too.
     *
     * @param status its HTTP status
     * @param headers its headers
     * @param body its JSON, or null for an answer without a body
     */
    public record Answer(int status, HttpHeaders headers, JsonNode body) {}

    /**
     * Sends one request and reads its JSON answer, as
     * {@link #call(String, String, Object, Duration, boolean)} does; GET, HEAD, PUT and DELETE,
     * which HTTP defines as safe to repeat, are {@code repeatable}.
     */
    public JsonNode call(String method, String path, Object body, Duration wait) {
        return call(method, path, body, wait, REPEATABLE_METHODS.contains(method));
    }

    /**
     * Sends one request and reads its JSON answer, as {@link #exchange} does.
     *
     * @return the answer's JSON, or null for an answer without a body
     */
    public JsonNode call(String method, String path, Object body, Duration wait, boolean repeatable) {
        return exchange(method, path, body, wait, repeatable).body();
    }

    /**
     * Sends one request and reads its answer. A request whose connection could not be opened is
     * sent again; so is a {@code repeatable} one that got no answer or a 502 or 503, after a
     * backoff with jitter (at least a 503's {@code Retry-After}), at most {@code maxAttempts}
     * times in all and only while the call's deadline ({@code wait} plus the request timeout, from
     * now) leaves time for the wait. Every attempt sends the same body, and the trace context
     * current on the calling thread.
     *
     * @param method the HTTP method
     * @param path the path below the base URL, names already encoded
     * @param body the body, written as JSON, or null
     * @param wait how long to wait for the answer beyond the request timeout
     * @param repeatable whether a request that may already have taken effect may be sent again:
     *        true for one that carries a {@code requestId}, or whose repetition changes nothing more
     * @throws BatonException for an answer other than 2xx or when no answer came
     * @throws IllegalStateException when this transport is closed; nothing is sent
     */
    public Answer exchange(String method, String path, Object body, Duration wait, boolean repeatable) {
        requireOpen();
        long deadline = System.nanoTime() + wait.plus(requestTimeout).toNanos();
        byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
        Map<String, String> trace = tracing.currentHeaders();
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            BatonException failure;
            Duration delay = backoff.delay(attempt);
            try {
                HttpResponse<String> response =
                        http.send(request(method, path, bytes, left, trace), HttpResponse.BodyHandlers.ofString());
                if (!(repeatable && (response.statusCode() == 502 || response.statusCode() == 503))) {
                    return answer(method, path, response);
                }
                failure = problem(method, path, response);
                Duration retryAfter = retryAfter(response);
                if (retryAfter.compareTo(delay) > 0) {
                    delay = retryAfter;
                }
            } catch (IOException e) {
                failure = new BatonException(
                        0,
                        null,
                        method + " " + path + " got no answer: "
                                + (e.getMessage() != null
                                        ? e.getMessage()
                                        : e.getClass().getSimpleName()),
                        e);
                if (!repeatable && !neverSent(e)) {
                    throw failure;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(method, path, e);
            }
            if (attempt >= maxAttempts || System.nanoTime() + delay.toNanos() - deadline >= 0) {
                throw failure;
            }
            pause(method, path, delay);
            requireOpen();
        }
    }

    /**
     * The headers that carry the trace context current on this thread, for a call made later on
     * another ({@link #postAsync}); empty when there is none.
     */
    public Map<String, String> traceHeaders() {
        return tracing.currentHeaders();
    }

    /**
     * Sends one POST of a JSON body once, without waiting for its answer.
     *
     * @param trace the trace context to send, as {@link #traceHeaders()} took it
     * @return the answer's status, or the failure of a call that got no answer
     * @throws IllegalStateException when this transport is closed; nothing is sent
     */
    public CompletableFuture<Integer> postAsync(String path, byte[] body, Map<String, String> trace) {
        requireOpen();
        return http.sendAsync(
                        request("POST", path, body, requestTimeout, trace), HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode);
    }

    /**
     * Sends one POST of a JSON body once, without waiting for its answer, and reads the answer
     * whatever its status: a problem's too.
     *
     * @return the answer, its body null when it has none or it is no JSON; or the failure of a call that
     *     got no answer
     * @throws IllegalStateException when this transport is closed; nothing is sent
     */
    public CompletableFuture<Answer> postForAnswerAsync(String path, byte[] body) {
        requireOpen();
        return http.sendAsync(
                        request("POST", path, body, requestTimeout, Map.of()), HttpResponse.BodyHandlers.ofString())
                .thenApply(
                        response -> new Answer(response.statusCode(), response.headers(), jsonOrNull(response.body())));
    }

    private HttpRequest request(String method, String path, byte[] body, Duration timeout, Map<String, String> trace) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout)
                .header("Accept", "application/json, application/problem+json");
        trace.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return request.build();
    }

    private Answer answer(String method, String path, HttpResponse<String> response) {
        if (response.statusCode() >= 300) {
            throw problem(method, path, response);
        }
        return new Answer(
                response.statusCode(),
                response.headers(),
                response.body().isEmpty() ? null : json.readTree(response.body()));
    }

    private BatonException problem(String method, String path, HttpResponse<String> response) {
        JsonNode problem = jsonOrNull(response.body());
        String type = problem == null ? null : problem.path("type").asString(null);
        String detail =
                problem == null ? response.body() : problem.path("detail").asString("");
        return new BatonException(
                response.statusCode(),
                type,
                method + " " + path + " answered " + response.statusCode() + ": " + detail,
                null);
    }

    /** An answer's JSON; null when it has none, as a proxy's own 502 may not. */
    private JsonNode jsonOrNull(String body) {
        if (body.isEmpty()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** A 503's {@code Retry-After}, in seconds or as an HTTP date; zero when it has none. */
    private static Duration retryAfter(HttpResponse<String> response) {
        if (response.statusCode() != 503) {
            return Duration.ZERO;
        }
        String value = response.headers().firstValue("Retry-After").orElse("").trim();
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(
                        Instant.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return Duration.ZERO;
            }
        }
    }

    /** Whether the request cannot have left: its connection was never opened. */
    private static boolean neverSent(IOException failure) {
        return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
    }

    private static void pause(String method, String path, Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(method, path, e);
        }
    }

    private static BatonException interrupted(String method, String path, InterruptedException e) {
        return new BatonException(0, null, method + " " + path + " was interrupted", e);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("This Baton client is closed: it sends nothing");
        }
    }

    /** Refuses every call from now on, before anything is sent. */
    @Override
    public void close() {
        closed = true;
    }

    /** Builds a {@link BatonHttp}. */
    public static final class Builder {

        private String baseUrl;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 4;
        private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        private JsonMapper json = JsonMapper.builder().build();
        private TracePropagation tracing = TracePropagation.NONE;

        private Builder() {}

        /** The gateway's URL (or one service's), such as {@code http://baton-gateway:8080}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The key sent as a bearer token; null or blank sends none. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long an answer may take beyond any wait the request asks for. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** How many times a call is sent at most, the first time included; 1 turns retries off. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The waits between the attempts of a call. */
        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** The mapper that writes bodies and reads answers. */
        public Builder json(JsonMapper json) {
            this.json = json;
            return this;
        }

        /** The trace context sent with each request; {@link TracePropagation#NONE} by default. */
        public Builder tracing(TracePropagation tracing) {
            this.tracing = tracing;
            return this;
        }

        public BatonHttp build() {
            return new BatonHttp(this);
        }
    }
}
