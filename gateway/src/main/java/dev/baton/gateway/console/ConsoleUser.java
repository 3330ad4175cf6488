package dev.baton.gateway.console;

import dev.baton.common.security.ApiAccessRules;
import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ScopeRules;

/**
 * The signed-in user of a console request: the holder of its key, its session, and the CSRF token
 * every change must carry.
 */
record ConsoleUser(ApiKeyPrincipal principal, ConsoleSession session, String csrfToken) {

    /** The exchange attribute that holds the signed-in user of a console request. */
    static final String ATTRIBUTE = "baton.console.user";

    public String name() {
        return principal.name();
    }

    /**
     * Whether the key may send {@code method} to the API {@code path}: the role, then the scopes,
     * by the rules every service applies. The console offers only what this allows; the services
     * decide all the same.
     */
    public boolean may(String method, String path) {
        return principal.roles().contains(ApiAccessRules.requiredRole(method, path))
                && ScopeRules.check(principal, method, path, parameter -> null) == null;
    }
}
