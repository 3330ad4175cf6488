package dev.baton.client;

import dev.baton.client.lock.Locks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
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

    private final URI baseUrl;
    private final String apiKey;
    private final String owner;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Locks locks;

    private BatonClient(Builder builder) {
        this.baseUrl = URI.create(Objects.requireNonNull(builder.baseUrl, "baseUrl").replaceAll("/+$", ""));
        this.apiKey = Objects.requireNonNull(builder.apiKey, "apiKey");
        this.owner = builder.owner != null ? builder.owner : defaultOwner();
        this.requestTimeout = builder.requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
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
     * Sends one request and reads its JSON answer.
     *
     * @param method the HTTP method
     * @param path the path below the base URL, names already encoded
     * @param body the JSON body, or null
     * @param timeout how long to wait for the answer
     * @return the answer's JSON, or null for an answer without a body
     * @throws BatonException for a problem answer or when no answer came
     */
    public JsonNode call(String method, String path, Object body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout.plus(requestTimeout))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json, application/problem+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BatonException(0, null, method + " " + path + " got no answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(0, null, method + " " + path + " was interrupted", e);
        }
        JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            String type = json == null ? null : json.path("type").asString(null);
            String detail = json == null ? "" : json.path("detail").asString("");
            throw new BatonException(response.statusCode(), type,
                    method + " " + path + " answered " + response.statusCode() + ": " + detail, null);
        }
        return json;
    }

    @Override
    public void close() {
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

        private Builder() {
        }

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

        public BatonClient build() {
            return new BatonClient(this);
        }
    }
}
