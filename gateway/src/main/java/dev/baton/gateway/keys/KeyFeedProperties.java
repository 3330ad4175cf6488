package dev.baton.gateway.keys;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The registry whose key feed the gateway follows, to refuse keys revoked at runtime as the
 * services do ({@code baton.gateway.key-feed.*}).
 *
 * @param url the registry's base URL; {@code baton.discovery.url} when not set, and when neither is
 *        set only the keys from configuration are accepted
 * @param apiKey the key the feed is read with; {@code baton.discovery.api-key} when not set
 */
@Validated
@ConfigurationProperties("baton.gateway.key-feed")
record KeyFeedProperties(String url, String apiKey) {}
