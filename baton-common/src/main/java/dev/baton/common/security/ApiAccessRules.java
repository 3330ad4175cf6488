package dev.baton.common.security;

/**
 * Which requests need which role, the same in every service and in the gateway:
 * health, info and the OpenAPI documents are open; a {@code GET} or {@code HEAD} needs
 * {@link Role#READ}; a change to an Actuator endpoint needs {@link Role#ADMIN}; any other
 * request needs {@link Role#WRITE}.
 */
public final class ApiAccessRules {

    /** Paths served without a key: probes, and the API documentation with its UI. */
    public static final String[] OPEN_PATHS = {
            "/actuator/health", "/actuator/health/**", "/actuator/info",
            "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
            "/swagger-ui.html", "/swagger-ui/**", "/webjars/**", "/error",
            // The gateway serves each service's document under the service's name.
            "/*/v3/api-docs"
    };

    public static final String ACTUATOR = "/actuator/**";

    private ApiAccessRules() {
    }
}
