package dev.baton.common.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Describes a Baton service's API and its API-key scheme, so Swagger UI's "Authorize" works. */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class OpenApiAutoConfiguration {

    static final String API_KEY_SCHEME = "apiKey";

    @Bean
    @ConditionalOnMissingBean
    OpenAPI batonOpenApi(@Value("${spring.application.name}") String service) {
        return new OpenAPI()
                .info(new Info()
                        .title("Baton " + service + " API")
                        .version("v1")
                        .description("Part of Baton, the coordination suite on PostgreSQL. Every error is an "
                                + "RFC 9457 problem (application/problem+json)."))
                // Relative, so "Try it out" calls whichever host served the document: the service or the gateway.
                .servers(List.of(new Server().url("/")))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY_SCHEME,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API key, sent as 'Authorization: Bearer <key>'.")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME));
    }
}
