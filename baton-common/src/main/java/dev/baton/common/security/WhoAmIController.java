package dev.baton.common.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells a caller which key it presented and what that key may do. */
@RestController
@Tag(name = "Authentication")
public class WhoAmIController {

    /**
     * The holder of the presented key.
     *
     * @param name the key's name
     * @param roles its roles, implied ones included
     * @param scopes per resource kind, the name prefixes it may touch; null: every name
     * @param expiresAt when it stops being accepted, or null
     */
    public record WhoAmI(String name, Set<Role> roles, Map<String, List<String>> scopes, Instant expiresAt) {}

    @GetMapping("/api/v1/auth/whoami")
    @Operation(summary = "The name, roles, scopes and expiry of the presented API key")
    public WhoAmI whoami(Principal principal) {
        ApiKeyPrincipal holder = (ApiKeyPrincipal) ((Authentication) principal).getPrincipal();
        return new WhoAmI(holder.name(), holder.roles(), holder.scopes().byKey(), holder.expiresAt());
    }
}
