package dev.baton.gateway.keys;

import dev.baton.common.security.ApiKeys;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The gateway follows the registry's key feed when {@code baton.gateway.key-feed.url} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${baton.gateway.key-feed.url:}'.isEmpty()")
@EnableConfigurationProperties(KeyFeedProperties.class)
class KeyFeedConfiguration {

    @Bean
    KeyFeed keyFeed(KeyFeedProperties properties, ApiKeys keys, JsonMapper json) {
        return new KeyFeed(properties.url(), properties.apiKey(), keys, json);
    }
}
