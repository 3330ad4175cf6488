package dev.baton.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Bootstrap keys with scopes, as the chart gives them: in environment variables. */
class ApiKeyPropertiesTest {

    private static ApiKeyProperties bind(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource(
                        "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return new Binder(ConfigurationPropertySources.get(environment))
                .bind("baton.security", ApiKeyProperties.class)
                .get();
    }

    @Test
    void a_scope_of_one_empty_prefix_reaches_every_name_of_its_kind_and_nothing_else() {
        ApiKeyProperties.Key key = bind(Map.of(
                        "BATON_SECURITY_APIKEYS_0_NAME", "baton-services",
                        "BATON_SECURITY_APIKEYS_0_SHA256", "0".repeat(64),
                        "BATON_SECURITY_APIKEYS_0_ROLES", "WRITE",
                        "BATON_SECURITY_APIKEYS_0_SCOPES_SERVICES_0", ""))
                .apiKeys()
                .get(0);

        assertThat(key.scopes()).isEqualTo(Map.of(ResourceKind.SERVICES, List.of("")));
        Scopes scopes = Scopes.of(key.scopes());
        assertThat(scopes.permits(ResourceKind.SERVICES, "orders")).isTrue();
        assertThat(scopes.permits(ResourceKind.LOCKS, "orders")).isFalse();
    }

    @Test
    void prefixes_of_several_kinds_bind_by_index() {
        ApiKeyProperties.Key key = bind(Map.of(
                        "BATON_SECURITY_APIKEYS_0_NAME", "team-a",
                        "BATON_SECURITY_APIKEYS_0_SHA256", "0".repeat(64),
                        "BATON_SECURITY_APIKEYS_0_ROLES", "WRITE",
                        "BATON_SECURITY_APIKEYS_0_SCOPES_LOCKS_0", "team-a/",
                        "BATON_SECURITY_APIKEYS_0_SCOPES_LOCKS_1", "shared/",
                        "BATON_SECURITY_APIKEYS_0_SCOPES_CONFIG_0", "team-a"))
                .apiKeys()
                .get(0);

        assertThat(key.scopes())
                .isEqualTo(Map.of(
                        ResourceKind.LOCKS, List.of("team-a/", "shared/"), ResourceKind.CONFIG, List.of("team-a")));
    }
}
