package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The secret that seals the console's sessions: generated once and kept across upgrades, or taken
 * from a Secret the user manages, and given to the gateway alone.
 */
class ConsoleSecretTest {

    @AfterEach
    void forgetTheInstalledSecret() {
        Chart.CLUSTER.clear();
    }

    @Test
    void the_gateway_gets_a_long_random_session_secret_that_an_upgrade_keeps() {
        Manifests manifests = Chart.manifests(Chart.MINIMAL);
        Secret secret = manifests.named(Secret.class, "baton-console").orElseThrow();
        String value =
                new String(Base64.getDecoder().decode(secret.getData().get("session-secret")), StandardCharsets.UTF_8);
        assertThat(value).hasSize(48);
        assertThat(sessionSecret(manifests, "gateway").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo("baton-console");
                    assertThat(ref.getKey()).isEqualTo("session-secret");
                });
        for (String service : new String[] {"registry", "lock-service", "scheduler-service"}) {
            assertThat(sessionSecret(manifests, service)).as(service).isNull();
        }

        Chart.CLUSTER.putSecret(
                "baton", "baton-console", """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"baton-console","namespace":"baton"},
                 "data":{"session-secret":"%s"}}""".formatted(secret.getData().get("session-secret")));
        Secret upgraded = Chart.manifests(Chart.MINIMAL)
                .named(Secret.class, "baton-console")
                .orElseThrow();
        assertThat(upgraded.getData().get("session-secret"))
                .isEqualTo(secret.getData().get("session-secret"));
    }

    @Test
    void an_existing_secret_replaces_the_generated_one() {
        Manifests manifests =
                Chart.manifests(RenderedManifestsTest.with(Map.of("console.existingSecret", "my-console")));

        assertThat(manifests.named(Secret.class, "baton-console")).isEmpty();
        assertThat(sessionSecret(manifests, "gateway")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("my-console");
    }

    private static EnvVar sessionSecret(Manifests manifests, String service) {
        return ValueSetsTest.env(manifests, service, "BATON_CONSOLE_SESSIONSECRET")
                .orElse(null);
    }
}
