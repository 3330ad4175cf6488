package dev.baton.common.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Accepts an {@link ApiKeyAuthentication} whose key is one of the configured {@link ApiKeys}. */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    static final String UNKNOWN_KEY = "The API key is not known to this service.";

    private final ApiKeys keys;

    public ApiKeyAuthenticationProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = ((ApiKeyAuthentication) authentication).getCredentials();
        return keys.authenticate(presented)
                .map(ApiKeyAuthentication::of)
                .orElseThrow(() -> new BadCredentialsException(UNKNOWN_KEY));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
