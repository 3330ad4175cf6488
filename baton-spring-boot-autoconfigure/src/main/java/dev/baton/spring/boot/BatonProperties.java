package dev.baton.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Baton is and how this application calls it ({@code baton.*}; as environment variables
 * {@code BATON_URL}, {@code BATON_API_KEY} and so on). Nothing is configured until {@code url} is
 * set. Discovery and the worker SDK take the same URL and key unless {@code baton.discovery.url}
 * and {@code baton.discovery.api-key} say otherwise.
 *
 * @param url the gateway's base URL (or one service's), such as {@code http://baton-gateway:8080}
 * @param apiKey the API key every call carries: WRITE to take locks and register, READ only to discover
 * @param owner who this application is in lock inspections; host name and process id when not set
 * @param connectTimeout how long opening a connection may take; the client's default when not set
 * @param requestTimeout how long an answer may take beyond any wait the request asks for; the client's
 *        default when not set
 * @param maxAttempts how many times a call is sent at most, the first time included (1 turns retries
 *        off); the client's default when not set
 */
@ConfigurationProperties("baton")
public record BatonProperties(
        String url,
        String apiKey,
        String owner,
        Duration connectTimeout,
        Duration requestTimeout,
        Integer maxAttempts) {

    /** Checks the settings itself: an application need not have Bean Validation. */
    public BatonProperties {
        if (url != null && !url.isBlank()) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("baton.url must be an http:// or https:// URL: " + url);
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("baton.api-key must be set with baton.url");
            }
        }
        requirePositive("baton.connect-timeout", connectTimeout);
        requirePositive("baton.request-timeout", requestTimeout);
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("baton.max-attempts must be at least 1: " + maxAttempts);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
