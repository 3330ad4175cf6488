package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json refuses what would install a broken or insecure suite, naming the value at fault. */
class ValuesSchemaTest {

    private static final String SCHEMA_REFUSAL = "values don't meet the specifications of the schema";

    /** A key, a value the schema refuses, one it accepts, and what the refusal must name. */
    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("registry.replicaCount", "-1", "3", "replicaCount"),
                Arguments.of("gateway.service.type", "ExternalName", "LoadBalancer", "type"),
                Arguments.of("image.pullPolicy", "Sometimes", "Always", "pullPolicy"),
                Arguments.of("externalDatabase.port", "70000", "6432", "port"),
                Arguments.of(
                        "schedulerService.autoscaling.targetCPUUtilizationPercentage",
                        "0",
                        "80",
                        "targetCPUUtilizationPercentage"),
                Arguments.of("lockService.podDisruptionBudget.maxUnavailable", "half", "50%", "maxUnavailable"),
                Arguments.of("securityContext.readOnlyRootFilesystem", "false", "true", "readOnlyRootFilesystem"),
                Arguments.of("podSecurityContext.runAsNonRoot", "false", "true", "runAsNonRoot"),
                Arguments.of("metrics.serviceMonitor.interval", "often", "15s", "interval"),
                Arguments.of("logs.maxAttemptSize", "a lot", "256KB", "maxAttemptSize"),
                Arguments.of("logs.retention", "a week", "3d", "retention"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("values")
    void the_schema_refuses_a_forbidden_value_and_names_it(String key, String forbidden, String allowed, String named) {
        assertThatThrownBy(() -> Chart.render(RenderedManifestsTest.with(Map.of(key, forbidden))))
                .hasMessageContaining(SCHEMA_REFUSAL)
                .hasMessageContaining(named);
    }

    @ParameterizedTest(name = "{0}={2}")
    @MethodSource("values")
    void the_schema_accepts_an_allowed_value_of_the_same_key(
            String key, String forbidden, String allowed, String named) {
        assertThatCode(() -> Chart.render(RenderedManifestsTest.with(Map.of(key, allowed))))
                .doesNotThrowAnyException();
    }

    @Test
    void unknown_keys_are_refused_so_that_a_typo_is_not_silently_ignored() {
        assertThatThrownBy(() -> Chart.render(RenderedManifestsTest.with(Map.of("lockService.replicas", "3"))))
                .hasMessageContaining(SCHEMA_REFUSAL)
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> Chart.render(RenderedManifestsTest.with(Map.of("postgres.enabled", "true"))))
                .hasMessageContaining(SCHEMA_REFUSAL)
                .hasMessageContaining("postgres");
    }

    @Test
    void an_extra_api_key_needs_a_sha256_digest_and_known_roles() {
        assertThatThrownBy(() -> Chart.render(RenderedManifestsTest.with(Map.of(
                        "apiKeys.extra[0].name",
                        "ci",
                        "apiKeys.extra[0].sha256",
                        "not-a-digest",
                        "apiKeys.extra[0].roles[0]",
                        "READ"))))
                .hasMessageContaining(SCHEMA_REFUSAL)
                .hasMessageContaining("sha256");
        assertThatThrownBy(() -> Chart.render(RenderedManifestsTest.with(Map.of(
                        "apiKeys.extra[0].name",
                        "ci",
                        "apiKeys.extra[0].sha256",
                        "c".repeat(64),
                        "apiKeys.extra[0].roles[0]",
                        "ROOT"))))
                .hasMessageContaining(SCHEMA_REFUSAL)
                .hasMessageContaining("roles");
    }

    @Test
    void a_database_password_and_an_existing_secret_together_are_refused() {
        assertThatThrownBy(() -> Chart.render(RenderedManifestsTest.with(
                        Map.of("externalDatabase.password", "s3cret", "externalDatabase.existingSecret", "baton-db"))))
                .hasMessageContaining(SCHEMA_REFUSAL)
                .hasMessageContaining("password");
    }

    @Test
    void an_enabled_ingress_without_hosts_is_refused() {
        assertThatThrownBy(() -> Chart.render(Chart.MINIMAL, """
                ingress:
                  enabled: true
                  hosts: []
                """))
                .hasMessageContaining(SCHEMA_REFUSAL)
                .hasMessageContaining("hosts");
    }
}
