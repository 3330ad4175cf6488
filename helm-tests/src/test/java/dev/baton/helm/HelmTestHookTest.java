package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** `helm template` leaves hooks out, so the test hook is checked from the chart's file. */
class HelmTestHookTest {

    @Test
    void the_helm_test_hook_calls_the_gateway_health_and_an_authenticated_api() throws Exception {
        String hook = Chart.file("templates/tests/test-gateway.yaml");

        assertThat(hook)
                .contains("helm.sh/hook: test")
                .contains("/actuator/health")
                .contains("-H \"Authorization: Bearer $BATON_API_KEY\"")
                .contains("/api/v1/auth/whoami", "/api/v1/registry/services")
                .contains("key: read-key")
                .contains("include \"baton.componentName\" (dict \"root\" $ \"name\" \"gateway\")");
    }

    @Test
    void the_helm_test_pod_runs_locked_down_like_the_services() throws Exception {
        String hook = Chart.file("templates/tests/test-gateway.yaml");

        assertThat(hook)
                .contains(
                        "runAsNonRoot: true",
                        "readOnlyRootFilesystem: true",
                        "allowPrivilegeEscalation: false",
                        "- ALL");
    }
}
