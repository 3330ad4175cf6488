package dev.baton.gateway.keys;

import dev.baton.common.security.ApiKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The gateway follows the registry's key feed when {@code baton.gateway.key-feed.url} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${baton.gateway.key-feed.url:}'.isEmpty()")
class KeyFeedConfiguration {

    @Bean
    KeyFeed keyFeed(
            @Value("${baton.gateway.key-feed.url}") String url,
            @Value("${baton.gateway.key-feed.api-key}") String apiKey,
            ApiKeys keys,
            JsonMapper json) {
        return new KeyFeed(url, apiKey, keys, json);
    }
}
