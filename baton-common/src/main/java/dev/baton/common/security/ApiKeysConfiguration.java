package dev.baton.common.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;
import tools.jackson.databind.json.JsonMapper;

/** The accepted API keys and the {@code whoami} endpoint, for either web stack. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyProperties.class)
class ApiKeysConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiKeysConfiguration.class);

    @Bean
    ApiKeys apiKeys(ApiKeyProperties properties) {
        ApiKeys keys = new ApiKeys(properties);
        if (keys.isEmpty()) {
            log.warn("No API keys are configured (baton.security.api-keys): every request but health and "
                    + "the API documents will be refused with 401");
        } else {
            log.info("Accepting {} API key(s)", properties.apiKeys().size());
        }
        return keys;
    }

    /** The same check, for what a service serves below Spring Security. */
    @Bean
    ApiKeyGuard apiKeyGuard(ApiKeys keys, JsonMapper json) {
        return new ApiKeyGuard(keys, json);
    }

    @Bean
    ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys) {
        return new ApiKeyAuthenticationProvider(keys);
    }

    /** Spring Security would otherwise time each of its filters on every request; HTTP request metrics stay. */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    WhoAmIController whoAmIController() {
        return new WhoAmIController();
    }
}
