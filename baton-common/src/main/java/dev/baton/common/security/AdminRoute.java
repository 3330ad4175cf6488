package dev.baton.common.security;

import org.springframework.http.HttpMethod;

/**
 * A request that needs the {@link Role#ADMIN} role although its method alone would ask for less;
 * {@link ApiAccessRules#ADMIN_ROUTES} lists them all.
 *
 * @param method the HTTP method
 * @param pattern the path pattern, such as {@code /api/v1/locks/*}
 */
public record AdminRoute(HttpMethod method, String pattern) {}
