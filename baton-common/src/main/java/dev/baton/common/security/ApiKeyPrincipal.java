package dev.baton.common.security;

import java.security.Principal;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The holder of an accepted API key.
 *
 * @param name the key's configured name
 * @param roles its roles, implied ones included
 */
public record ApiKeyPrincipal(String name, Set<Role> roles) implements Principal {

    @Override
    public String getName() {
        return name;
    }

    public List<GrantedAuthority> authorities() {
        return roles.stream().<GrantedAuthority>map(role -> new SimpleGrantedAuthority(role.authority())).toList();
    }
}
