package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's signing secrets for workers: generated (one per listed service, and a default)
 * and kept, or taken from a Secret the user manages; read by the scheduler as a config tree whose
 * file names are the properties; and the egress allowlist.
 */
class WorkerSigningTest {

    private static final Map<String, String> TWO_SERVICES = RenderedManifestsTest.with(Map.of(
            "workerSigning.services[0]",
            "billing",
            "workerSigning.services[1]",
            "report-worker",
            "workerSigning.egressAllow[0]",
            "*.example.com",
            "workerSigning.egressAllow[1]",
            "10.0.0.0/8"));

    @AfterEach
    void forgetTheInstalledSecret() {
        Chart.CLUSTER.clear();
    }

    @Test
    void each_listed_service_and_the_default_get_a_long_random_secret_mounted_as_its_property() {
        Manifests manifests = Chart.manifests(TWO_SERVICES);
        Secret secret = manifests.named(Secret.class, "baton-worker-signing").orElseThrow();

        assertThat(secret.getData()).containsOnlyKeys("default", "billing", "report-worker");
        secret.getData()
                .values()
                .forEach(value -> assertThat(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8))
                        .hasSize(43));
        assertThat(secretVolume(manifests).getSecret().getItems())
                .extracting(KeyToPath::getKey, KeyToPath::getPath)
                .containsExactly(
                        tuple("default", "baton.scheduler.signing.default-secret"),
                        tuple("billing", "baton.scheduler.signing.secrets/billing"),
                        tuple("report-worker", "baton.scheduler.signing.secrets/report-worker"));
        Map<String, String> config = ValueSetsTest.configOf(manifests, "scheduler-service");
        assertThat(config)
                .containsEntry("SPRING_CONFIG_IMPORT", "optional:configtree:/etc/baton/worker-signing/")
                .containsEntry("BATON_SCHEDULER_EGRESS_ALLOW", "*.example.com,10.0.0.0/8");
        assertThat(ValueSetsTest.configOf(manifests, "lock-service")).doesNotContainKey("SPRING_CONFIG_IMPORT");
    }

    @Test
    void an_upgrade_keeps_the_secrets_already_installed_and_adds_one_for_a_new_service() {
        Secret installed = Chart.manifests(Chart.MINIMAL)
                .named(Secret.class, "baton-worker-signing")
                .orElseThrow();
        Chart.CLUSTER.putSecret("baton", "baton-worker-signing", """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"baton-worker-signing","namespace":"baton"},
                 "data":{"default":"%s"}}""".formatted(
                        installed.getData().get("default")));

        Secret upgraded = Chart.manifests(TWO_SERVICES)
                .named(Secret.class, "baton-worker-signing")
                .orElseThrow();

        assertThat(upgraded.getData().get("default"))
                .isEqualTo(installed.getData().get("default"));
        assertThat(upgraded.getData()).containsKeys("billing", "report-worker");
    }

    @Test
    void an_existing_secret_replaces_the_generated_one() {
        Manifests manifests =
                Chart.manifests(RenderedManifestsTest.with(Map.of("workerSigning.existingSecret", "my-signing")));

        assertThat(manifests.named(Secret.class, "baton-worker-signing")).isEmpty();
        assertThat(secretVolume(manifests).getSecret().getSecretName()).isEqualTo("my-signing");
    }

    private static Volume secretVolume(Manifests manifests) {
        return manifests
                .named(Deployment.class, "baton-scheduler-service")
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes()
                .stream()
                .filter(volume -> volume.getName().equals("worker-signing"))
                .findFirst()
                .orElseThrow();
    }
}
