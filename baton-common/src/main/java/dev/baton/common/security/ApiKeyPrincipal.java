package dev.baton.common.security;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The holder of an accepted API key.
 *
 * @param name the key's name
 * @param roles its roles, implied ones included
 * @param scopes the names it may touch
 * @param id the key's id when it was created through {@code /api/v1/keys}, null for a key from configuration
 * @param expiresAt when the key stops being accepted, or null
 */
public record ApiKeyPrincipal(String name, Set<Role> roles, Scopes scopes, UUID id, Instant expiresAt)
        implements Principal {

    /** The request (or exchange) attribute that holds the holder of the key a request carried. */
    public static final String ATTRIBUTE = ApiKeyPrincipal.class.getName();

    /** A key from configuration, which never expires. */
    public ApiKeyPrincipal(String name, Set<Role> roles, Scopes scopes) {
        this(name, roles, scopes, null, null);
    }

    @Override
    public String getName() {
        return name;
    }

    public List<GrantedAuthority> authorities() {
        return roles.stream()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority(role.authority()))
                .toList();
    }
}
