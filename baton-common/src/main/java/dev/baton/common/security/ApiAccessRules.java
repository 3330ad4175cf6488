package dev.baton.common.security;

import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.util.AntPathMatcher;

/**
 * Which requests need which role, the same in every service and in the gateway:
 * health, info and the OpenAPI documents are open; the {@link #ADMIN_ROUTES} need
 * {@link Role#ADMIN}; a {@code GET} or {@code HEAD} needs {@link Role#READ}; a change to an
 * Actuator endpoint needs {@link Role#ADMIN}; any other request needs {@link Role#WRITE}. Past
 * its role, a request must be within the key's scopes ({@link ScopeRules}).
 */
public final class ApiAccessRules {

    /** Paths served without a key: probes, and the API documentation with its UI. */
    public static final String[] OPEN_PATHS = {
        "/actuator/health",
        "/actuator/health/**",
        "/actuator/info",
        "/v3/api-docs",
        "/v3/api-docs/**",
        "/v3/api-docs.yaml",
        "/swagger-ui.html",
        "/swagger-ui/**",
        "/webjars/**",
        "/error",
        // The gateway serves each service's document under the service's name.
        "/*/v3/api-docs"
    };

    public static final String ACTUATOR = "/actuator/**";

    /** Where the gateway follows the keys created at runtime; what it serves is checked by the registry. */
    public static final String KEY_FEED = "/api/v1/keys/feed";

    /**
     * The requests of every service that need {@link Role#ADMIN} although their method alone would
     * ask for less: force-releasing every lease of a resource, deleting a job and its history or a
     * workflow and its runs, managing keys, reading the audit log. The services and the gateway
     * refuse them alike.
     */
    public static final List<AdminRoute> ADMIN_ROUTES = List.of(
            new AdminRoute(HttpMethod.DELETE, "/api/v1/locks/*"),
            new AdminRoute(HttpMethod.DELETE, "/api/v1/semaphores/*"),
            new AdminRoute(HttpMethod.DELETE, "/api/v1/elections/*"),
            new AdminRoute(HttpMethod.DELETE, "/api/v1/jobs/*"),
            new AdminRoute(HttpMethod.DELETE, "/api/v1/workflows/*"),
            new AdminRoute(HttpMethod.GET, "/api/v1/keys"),
            new AdminRoute(HttpMethod.POST, "/api/v1/keys"),
            new AdminRoute(HttpMethod.GET, "/api/v1/keys/*"),
            new AdminRoute(HttpMethod.DELETE, "/api/v1/keys/*"),
            new AdminRoute(HttpMethod.GET, "/api/v1/audit"));

    private static final AntPathMatcher PATHS = new AntPathMatcher();

    /**
     * The role a request to an API path needs, by the rules above: what a user interface asks
     * before it offers a change. Open paths and the key feed are not API paths here.
     */
    public static Role requiredRole(String method, String path) {
        boolean admin = ADMIN_ROUTES.stream()
                .anyMatch(route -> route.method().name().equals(method) && PATHS.match(route.pattern(), path));
        if (admin) {
            return Role.ADMIN;
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            return Role.READ;
        }
        return PATHS.match(ACTUATOR, path) ? Role.ADMIN : Role.WRITE;
    }

    private ApiAccessRules() {}
}
