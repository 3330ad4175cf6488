package dev.baton.common.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * An API key on its way through Spring Security: unauthenticated while it carries only the
 * presented key, authenticated once it carries the key's holder.
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String presentedKey;
    private final ApiKeyPrincipal principal;

    private ApiKeyAuthentication(String presentedKey, ApiKeyPrincipal principal) {
        super(principal == null ? List.of() : principal.authorities());
        this.presentedKey = presentedKey;
        this.principal = principal;
        setAuthenticated(principal != null);
    }

    public static ApiKeyAuthentication presented(String key) {
        return new ApiKeyAuthentication(key, null);
    }

    public static ApiKeyAuthentication of(ApiKeyPrincipal principal) {
        return new ApiKeyAuthentication(null, principal);
    }

    @Override
    public String getCredentials() {
        return presentedKey;
    }

    @Override
    public ApiKeyPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal == null ? "unauthenticated" : principal.name();
    }
}
