package dev.baton.spring.boot;

import dev.baton.client.BatonClient;
import dev.baton.http.TracePropagation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Baton's client, once {@code baton.url} is set; with the application's trace context on its
 * calls where the application traces ({@link dev.baton.client.tracing.BatonTracingAutoConfiguration}).
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "baton", name = "url")
@EnableConfigurationProperties(BatonProperties.class)
public class BatonAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BatonClient batonClient(BatonProperties properties, ObjectProvider<TracePropagation> tracing) {
        BatonClient.Builder builder = BatonClient.builder()
                .baseUrl(properties.url())
                .apiKey(properties.apiKey())
                .tracing(tracing.getIfAvailable(() -> TracePropagation.NONE));
        if (properties.owner() != null) {
            builder.owner(properties.owner());
        }
        if (properties.connectTimeout() != null) {
            builder.connectTimeout(properties.connectTimeout());
        }
        if (properties.requestTimeout() != null) {
            builder.requestTimeout(properties.requestTimeout());
        }
        if (properties.maxAttempts() != null) {
            builder.maxAttempts(properties.maxAttempts());
        }
        return builder.build();
    }
}
