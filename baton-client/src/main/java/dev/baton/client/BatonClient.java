package dev.baton.client;

import dev.baton.client.lock.Locks;
import dev.baton.http.Backoff;
import dev.baton.http.BatonHttp;
import dev.baton.http.TracePropagation;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

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

    private final String owner;
    private final BatonHttp http;
    private final ScheduledExecutorService scheduler;
    private final Locks locks;

    private BatonClient(Builder builder) {
        this.owner = builder.owner != null ? builder.owner : defaultOwner();
        this.http = builder.http.build();
        AtomicInteger threads = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "baton-client-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.locks = new Locks(http, owner, scheduler);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Locks with leases, fencing tokens and automatic renewal. */
    public Locks locks() {
        return locks;
    }

    /**
     * Baton's HTTP API with this client's key, retries and problem handling, for the calls that
     * have no method here, such as inspecting a lock.
     */
    public BatonHttp http() {
        return http;
    }

    /** The owner this client names in its requests: the configured one, else host and process id. */
    public String owner() {
        return owner;
    }

    /** Stops every renewal; calls made afterwards are refused before anything is sent. */
    @Override
    public void close() {
        http.close();
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

    /** Builds a {@link BatonClient}; the transport's settings default as {@link BatonHttp.Builder}'s do. */
    public static final class Builder {

        private final BatonHttp.Builder http = BatonHttp.builder();
        private String baseUrl;
        private String apiKey;
        private String owner;

        private Builder() {}

        /** The gateway's URL (or one service's), such as {@code http://baton-gateway:8080}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            http.baseUrl(baseUrl);
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            http.apiKey(apiKey);
            return this;
        }

        /** Who this application is in lock inspections; defaults to host name and process id. */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            http.connectTimeout(connectTimeout);
            return this;
        }

        /** How long an answer may take beyond any wait the request asks for. */
        public Builder requestTimeout(Duration requestTimeout) {
            http.requestTimeout(requestTimeout);
            return this;
        }

        /** How many times a call is sent at most, the first time included; 1 turns retries off. */
        public Builder maxAttempts(int maxAttempts) {
            http.maxAttempts(maxAttempts);
            return this;
        }

        /** The waits between the attempts of a call. */
        public Builder backoff(Backoff backoff) {
            http.backoff(backoff);
            return this;
        }

        /**
         * The trace context sent with each call made on the caller's thread (acquire, release,
         * inspections); renewals, made in the background, carry none.
         * {@link TracePropagation#NONE} by default.
         */
        public Builder tracing(TracePropagation tracing) {
            http.tracing(tracing);
            return this;
        }

        public BatonClient build() {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            return new BatonClient(this);
        }
    }
}
