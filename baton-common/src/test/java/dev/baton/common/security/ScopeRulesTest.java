package dev.baton.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeRulesTest {

    private static ApiKeyPrincipal key(Map<ResourceKind, List<String>> scopes, Role role) {
        return new ApiKeyPrincipal("k", role.withImplied(), Scopes.of(scopes));
    }

    private static ScopeRules.Refusal check(ApiKeyPrincipal key, String method, String path) {
        return ScopeRules.check(key, method, path, name -> null);
    }

    @Test
    void a_locks_scope_reaches_names_under_its_prefix_only() {
        ApiKeyPrincipal teamA = key(Map.of(ResourceKind.LOCKS, List.of("team-a/")), Role.WRITE);
        assertThat(check(teamA, "POST", "/api/v1/locks/team-a%2Fx/leases")).isNull();
        ScopeRules.Refusal refusal = check(teamA, "POST", "/api/v1/locks/team-b%2Fx/leases");
        assertThat(refusal.kind()).isEqualTo(ResourceKind.LOCKS);
        assertThat(refusal.name()).isEqualTo("team-b/x");
        assertThat(check(teamA, "GET", "/api/v1/semaphores/team-a%2Fx").kind()).isEqualTo(ResourceKind.SEMAPHORES);
        assertThat(check(teamA, "GET", "/api/v1/config/team-a").name()).isNull();
        assertThat(check(teamA, "GET", "/api/v1/jobs/42")).isNotNull();
        assertThat(check(teamA, "GET", "/api/v1/auth/whoami")).isNull();
    }

    @Test
    void a_list_is_reached_when_a_scope_starts_its_prefix() {
        ApiKeyPrincipal teamA = key(Map.of(ResourceKind.LOCKS, List.of("team-a/")), Role.READ);
        assertThat(ScopeRules.check(teamA, "GET", "/api/v1/locks", name -> "team-a/jobs"))
                .isNull();
        assertThat(ScopeRules.check(teamA, "GET", "/api/v1/locks", name -> null))
                .isNotNull();
        assertThat(ScopeRules.check(teamA, "GET", "/api/v1/locks", name -> "team"))
                .isNotNull();
    }

    @Test
    void a_config_write_needs_admin_or_the_namespace_in_a_config_scope() {
        ApiKeyPrincipal unscopedWriter = key(null, Role.WRITE);
        assertThat(check(unscopedWriter, "GET", "/api/v1/config/shop/k")).isNull();
        assertThat(check(unscopedWriter, "PUT", "/api/v1/config/shop/k").kind()).isEqualTo(ResourceKind.CONFIG);
        assertThat(check(unscopedWriter, "DELETE", "/api/v1/config/shop/k")).isNotNull();
        assertThat(check(key(null, Role.ADMIN), "PUT", "/api/v1/config/shop/k")).isNull();
        ApiKeyPrincipal shopWriter = key(Map.of(ResourceKind.CONFIG, List.of("shop")), Role.WRITE);
        assertThat(check(shopWriter, "PUT", "/api/v1/config/shop/k")).isNull();
        assertThat(check(shopWriter, "PUT", "/api/v1/config/billing/k").name()).isEqualTo("billing");
    }

    @Test
    void the_config_server_format_needs_every_namespace_it_reads() {
        ApiKeyPrincipal shop = key(Map.of(ResourceKind.CONFIG, List.of("shop")), Role.READ);
        assertThat(check(shop, "GET", "/api/v1/config-server/shop/dev").name()).isEqualTo("application");
        ApiKeyPrincipal both = key(Map.of(ResourceKind.CONFIG, List.of("shop", "application")), Role.READ);
        assertThat(check(both, "GET", "/api/v1/config-server/shop/dev,prod")).isNull();
    }

    @Test
    void a_key_without_scopes_reaches_every_name() {
        ApiKeyPrincipal all = new ApiKeyPrincipal("k", Set.of(Role.READ, Role.WRITE), Scopes.ALL);
        assertThat(check(all, "POST", "/api/v1/locks/anything/leases")).isNull();
        assertThat(check(all, "PUT", "/api/v1/registry/services/orders/instances/1"))
                .isNull();
    }
}
