package dev.baton.spring.boot.config;

import dev.baton.http.BatonHttp;
import dev.baton.spring.boot.BatonProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The namespaces of Baton's config center over HTTP ({@code GET /api/v1/config/{namespace}}), read
 * at once or watched with a blocking query. A call that fails throws a {@code BatonException}.
 * Thread-safe.
 */
final class ConfigCenter {

    /**
     * A namespace's keys and values, and its index.
     *
     * @param index the namespace's index, 0 when it was never written
     */
    record Snapshot(long index, Map<String, String> values) {}

    private final BatonHttp http;

    /** @param maxAttempts how many times a call is sent at most, or null for the client's default */
    ConfigCenter(BatonProperties properties, Integer maxAttempts) {
        BatonHttp.Builder builder =
                BatonHttp.builder().baseUrl(properties.url()).apiKey(properties.apiKey());
        if (maxAttempts != null) {
            builder.maxAttempts(maxAttempts);
        }
        if (properties.connectTimeout() != null) {
            builder.connectTimeout(properties.connectTimeout());
        }
        if (properties.requestTimeout() != null) {
            builder.requestTimeout(properties.requestTimeout());
        }
        this.http = builder.build();
    }

    /** The namespace as it is now. */
    Snapshot read(String namespace) {
        return snapshot(http.exchange("GET", path(namespace), null, Duration.ZERO, true));
    }

    /**
     * The namespace once its index passes {@code index}, or as it is when {@code wait} passes
     * first: the registry holds the request until then.
     */
    Snapshot watch(String namespace, long index, Duration wait) {
        String query = "?index=" + index + "&wait=" + wait.toMillis() + "ms";
        return snapshot(http.exchange("GET", path(namespace) + query, null, wait, true));
    }

    private static Snapshot snapshot(BatonHttp.Answer answer) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode entry : answer.body().path("entries")) {
            values.put(entry.path("key").asString(), entry.path("value").asString());
        }
        return new Snapshot(answer.headers().firstValueAsLong("X-Baton-Index").orElse(0), values);
    }

    private static String path(String namespace) {
        return "/api/v1/config/" + URLEncoder.encode(namespace, StandardCharsets.UTF_8);
    }
}
