package dev.baton.client;

import dev.baton.client.lock.Locks;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The entry point of Baton's Java client: one per application, thread-safe, closed on shutdown.
 *
 * <pre>{@code
 * BatonClient baton = BatonClient.builder().baseUrl("http://baton-gateway:8080").apiKey(key).build();
 * try (LockLease lease = baton.locks().acquire("orders/42", Duration.ofSeconds(30), Duration.ofSeconds(5))) {
 *     // lease.token() fences every write made under the lock
 * }
 * }</pre>
 */
public final class BatonClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> REPEATABLE_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE");

    private final URI baseUrl;
    private final String apiKey;
    private final String owner;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Locks locks;
    private final int maxAttempts;
    private final Backoff backoff;
    private volatile boolean closed;

    private BatonClient(Builder builder) {
        this.baseUrl =
                URI.create(Objects.requireNonNull(builder.baseUrl, "baseUrl").replaceAll("/+$", ""));
        this.apiKey = Objects.requireNonNull(builder.apiKey, "apiKey");
        this.owner = builder.owner != null ? builder.owner : defaultOwner();
        this.requestTimeout = builder.requestTimeout;
        if (builder.maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + builder.maxAttempts);
        }
        this.maxAttempts = builder.maxAttempts;
        this.backoff = Objects.requireNonNull(builder.backoff, "backoff");
        this.http =
                HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "baton-client-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.locks = new Locks(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Locks with leases, fencing tokens and automatic renewal. */
    public Locks locks() {
        return locks;
    }

    /** The owner this client names in its requests: the configured one, else host and process id. */
    public String owner() {
        return owner;
    }

    /** Runs renewals and expiry checks; shared by every lease of this client. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Sends one request and reads its JSON answer, as
     * {@link #call(String, String, Object, Duration, boolean)} does; GET, HEAD, PUT and DELETE,
     * which HTTP defines as safe to repeat, are {@code repeatable}.
     */
    public JsonNode call(String method, String path, Object body, Duration timeout) {
        return call(method, path, body, timeout, REPEATABLE_METHODS.contains(method));
    }

    /**
     * Sends one request and reads its JSON answer. A request whose connection could not be
     * opened is sent again; so is a {@code repeatable} one that got no answer or a 502 or 503,
     * after a backoff with jitter (at least a 503's {@code Retry-After}), at most
     * {@code maxAttempts} times in all and only while the call's deadline ({@code timeout} plus
     * the request timeout, from now) leaves time for the wait. Every attempt sends the same body.
     *
     * @param method the HTTP method
     * @param path the path below the base URL, names already encoded
     * @param body the JSON body, or null
     * @param timeout how long to wait for the answer beyond the request timeout
     * @param repeatable whether a request that may already have taken effect may be sent again:
     *        true for one that carries a {@code requestId}, or whose repetition changes nothing more
     * @return the answer's JSON, or null for an answer without a body
     * @throws BatonException for a problem answer or when no answer came
     * @throws IllegalStateException when this client is closed; nothing is sent
     */
    public JsonNode call(String method, String path, Object body, Duration timeout, boolean repeatable) {
        requireOpen();
        long deadline = System.nanoTime() + timeout.plus(requestTimeout).toNanos();
        byte[] json = body == null ? null : JSON.writeValueAsBytes(body);
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            BatonException failure;
            Duration wait = backoff.delay(attempt);
            try {
                HttpResponse<String> response =
                        http.send(request(method, path, json, left), HttpResponse.BodyHandlers.ofString());
                if (!(repeatable && (response.statusCode() == 502 || response.statusCode() == 503))) {
                    return answer(method, path, response);
                }
                failure = problem(method, path, response);
                Duration retryAfter = retryAfter(response);
                if (retryAfter.compareTo(wait) > 0) {
                    wait = retryAfter;
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
                throw new BatonException(0, null, method + " " + path + " was interrupted", e);
            }
            if (attempt >= maxAttempts || System.nanoTime() + wait.toNanos() - deadline >= 0) {
                throw failure;
            }
            pause(method, path, wait);
            requireOpen();
        }
    }

    private HttpRequest request(String method, String path, byte[] json, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json, application/problem+json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json));
        }
        return request.build();
    }

    private static JsonNode answer(String method, String path, HttpResponse<String> response) {
        if (response.statusCode() >= 400) {
            throw problem(method, path, response);
        }
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }

    private static BatonException problem(String method, String path, HttpResponse<String> response) {
        JsonNode json = problemJson(response.body());
        String type = json == null ? null : json.path("type").asString(null);
        String detail = json == null ? "" : json.path("detail").asString("");
        return new BatonException(
                response.statusCode(),
                type,
                method + " " + path + " answered " + response.statusCode() + ": " + detail,
                null);
    }

    /** A problem answer's JSON; null when it has none, as a proxy's own 502 may not. */
    private static JsonNode problemJson(String body) {
        if (body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
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
            throw new BatonException(0, null, method + " " + path + " was interrupted", e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("This BatonClient is closed: it sends nothing");
        }
    }

    /** Stops every renewal; calls made afterwards are refused before anything is sent. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }

    private static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** Builds a {@link BatonClient}. */
    public static final class Builder {

        private String baseUrl;
        private String apiKey;
        private String owner;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 4;
        private Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

        private Builder() {}

        /** The gateway's URL (or one service's), such as {@code http://baton-gateway:8080}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Who this application is in lock inspections; defaults to host name and process id. */
        public Builder owner(String owner) {
            this.owner = owner;
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

        public BatonClient build() {
            return new BatonClient(this);
        }
    }
}
