package dev.baton.common.text;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import tools.jackson.core.StreamReadFeature;

/**
 * Every service's JSON reads refuse text that PostgreSQL could not store as sent
 * ({@link StorableTextModule}) and objects that name a member twice, whose meaning would depend
 * on which of the two a reader kept.
 */
@AutoConfiguration
@ConditionalOnClass(JsonMapperBuilderCustomizer.class)
public class StorableTextAutoConfiguration {

    @Bean
    JsonMapperBuilderCustomizer storableText() {
        return builder -> builder.addModule(new StorableTextModule())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
