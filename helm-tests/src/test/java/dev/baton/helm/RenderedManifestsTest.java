package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What must hold of every rendering, whichever values an operator picks. Each value set is
 * rendered once, and its tests read that rendering.
 */
class RenderedManifestsTest {

    private static final Map<Map<String, String>, Manifests> RENDERED = new ConcurrentHashMap<>();

    static Stream<Arguments> valueSets() {
        return Stream.of(
                Arguments.of("default values", Chart.MINIMAL),
                Arguments.of(
                        "external database with existing secrets",
                        with(Map.of(
                                "externalDatabase.existingSecret", "baton-db",
                                "externalDatabase.existingSecretPasswordKey", "pg-password",
                                "apiKeys.existingSecret", "baton-keys"))),
                Arguments.of("external database with a password", with(Map.of("externalDatabase.password", "s3cret"))),
                Arguments.of("bundled database", Map.of("postgresql.enabled", "true")),
                Arguments.of("CloudNativePG database", Map.of("cloudnativepg.enabled", "true")),
                Arguments.of(
                        "autoscaling and disruption budgets on",
                        with(Map.of(
                                "registry.autoscaling.enabled", "true",
                                "lockService.autoscaling.enabled", "true",
                                "schedulerService.autoscaling.enabled", "true",
                                "gateway.autoscaling.enabled", "true",
                                "gateway.podDisruptionBudget.enabled", "true",
                                "lockService.podDisruptionBudget.enabled", "true"))),
                Arguments.of(
                        "ingress and service monitors on",
                        with(Map.of(
                                "ingress.enabled", "true",
                                "metrics.serviceMonitor.enabled", "true"))),
                Arguments.of("network policies off", with(Map.of("networkPolicy.enabled", "false"))));
    }

    /** The value set's rendering, made by the first test that reads it. */
    private static Manifests manifests(Map<String, String> values) {
        return RENDERED.computeIfAbsent(values, Chart::manifests);
    }

    static Map<String, String> with(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Chart.MINIMAL);
        all.putAll(values);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void every_service_has_a_deployment_service_and_service_account(String valueSet, Map<String, String> values) {
        Manifests manifests = manifests(values);

        for (String service : List.of("registry", "lock-service", "scheduler-service", "gateway")) {
            String name = "baton-" + service;
            assertThat(manifests.named(Deployment.class, name)).as(name).isPresent();
            assertThat(manifests.named(Service.class, name)).as(name).isPresent();
            assertThat(manifests.named(ServiceAccount.class, name)).as(name).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void every_container_has_probes_resources_and_a_locked_down_security_context(
            String valueSet, Map<String, String> values) {
        Manifests manifests = manifests(values);

        assertThat(manifests.containers()).isNotEmpty();
        for (Container container : manifests.containers()) {
            assertThat(container.getLivenessProbe())
                    .as("liveness probe of %s", container.getName())
                    .isNotNull();
            assertThat(container.getReadinessProbe())
                    .as("readiness probe of %s", container.getName())
                    .isNotNull();
            assertThat(container.getStartupProbe())
                    .as("startup probe of %s", container.getName())
                    .isNotNull();
            assertThat(container.getResources().getRequests())
                    .as("requests of %s", container.getName())
                    .containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits())
                    .as("limits of %s", container.getName())
                    .containsKey("memory");

            SecurityContext security = container.getSecurityContext();
            assertThat(security)
                    .as("security context of %s", container.getName())
                    .isNotNull();
            assertThat(security.getRunAsNonRoot())
                    .as("runAsNonRoot of %s", container.getName())
                    .isTrue();
            assertThat(security.getReadOnlyRootFilesystem())
                    .as("readOnlyRootFilesystem of %s", container.getName())
                    .isTrue();
            assertThat(security.getAllowPrivilegeEscalation())
                    .as("allowPrivilegeEscalation of %s", container.getName())
                    .isFalse();
            assertThat(security.getCapabilities().getDrop())
                    .as("dropped capabilities of %s", container.getName())
                    .containsExactly("ALL");
        }
        for (Manifests.Workload workload : manifests.workloads()) {
            PodSecurityContext pod = workload.template().getSpec().getSecurityContext();
            assertThat(pod.getRunAsNonRoot())
                    .as("pod runAsNonRoot of %s", workload.name())
                    .isTrue();
            assertThat(pod.getRunAsUser()).as("pod user of %s", workload.name()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void services_probe_the_actuator_groups_and_pause_before_graceful_shutdown(
            String valueSet, Map<String, String> values) {
        for (Deployment deployment : manifests(values).of(Deployment.class)) {
            Container container =
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getLifecycle().getPreStop().getExec().getCommand())
                    .containsExactly("sleep", "10");
            // The pause and the 20 s shutdown phase both fit before SIGKILL.
            assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .isGreaterThan(10 + 20);
            assertThat(container.getVolumeMounts())
                    .anyMatch(mount -> mount.getMountPath().equals("/tmp"));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsKeys("checksum/config", "checksum/api-keys");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void selectors_match_the_pod_labels_and_every_service_selects_a_workload(
            String valueSet, Map<String, String> values) {
        Manifests manifests = manifests(values);

        for (Manifests.Workload workload : manifests.workloads()) {
            assertThat(workload.selector())
                    .as("selector of %s", workload.name())
                    .isNotEmpty();
            assertThat(workload.template().getMetadata().getLabels())
                    .as("pod labels of %s", workload.name())
                    .containsAllEntriesOf(workload.selector());
        }
        for (Service service : manifests.of(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            assertThat(manifests.workloads())
                    .as(
                            "workloads selected by Service %s",
                            service.getMetadata().getName())
                    .filteredOn(workload -> workload.template()
                            .getMetadata()
                            .getLabels()
                            .entrySet()
                            .containsAll(selector.entrySet()))
                    .hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void every_secret_reference_names_a_rendered_secret_or_an_existing_one(
            String valueSet, Map<String, String> values) {
        Manifests manifests = manifests(values);
        Map<String, Set<String>> available = new HashMap<>();
        for (Secret secret : manifests.of(Secret.class)) {
            available.put(secret.getMetadata().getName(), secret.getData().keySet());
        }
        for (HasMetadata cluster : manifests.ofKind("Cluster")) {
            // The CloudNativePG operator creates <cluster>-app, the database owner's credentials.
            available.put(
                    cluster.getMetadata().getName() + "-app",
                    Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri"));
        }
        Set<String> existing = new HashSet<>();
        existing.add(values.get("apiKeys.existingSecret"));
        existing.add(values.get("externalDatabase.existingSecret"));

        for (Container container : manifests.containers()) {
            for (EnvVar env : container.getEnv()) {
                if (env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null) {
                    continue;
                }
                String secret = env.getValueFrom().getSecretKeyRef().getName();
                String key = env.getValueFrom().getSecretKeyRef().getKey();
                if (existing.contains(secret)) {
                    continue;
                }
                assertThat(available)
                        .as("Secret %s, referenced by %s of %s", secret, env.getName(), container.getName())
                        .containsKey(secret);
                assertThat(available.get(secret))
                        .as("key %s of Secret %s", key, secret)
                        .contains(key);
            }
            for (EnvFromSource source : container.getEnvFrom()) {
                if (source.getSecretRef() != null) {
                    assertThat(available).containsKey(source.getSecretRef().getName());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void the_chart_never_renders_the_same_object_twice(String valueSet, Map<String, String> values) {
        List<String> identities = manifests(values).all().stream()
                .map(object -> object.getKind() + "/" + object.getMetadata().getName())
                .toList();

        assertThat(identities).doesNotHaveDuplicates();
        assertThat(manifests(values).all()).allSatisfy(this::hasTheStandardLabels);
    }

    private void hasTheStandardLabels(HasMetadata object) {
        assertThat(object.getMetadata().getLabels())
                .as("labels of %s %s", object.getKind(), object.getMetadata().getName())
                .containsKeys(
                        "app.kubernetes.io/name",
                        "app.kubernetes.io/instance",
                        "app.kubernetes.io/version",
                        "app.kubernetes.io/managed-by",
                        "helm.sh/chart");
    }
}
