package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each optional part of the chart renders, and what it leaves out. */
class ValueSetsTest {

    private static final List<String> SERVICES = List.of("registry", "lock-service", "scheduler-service", "gateway");

    @Test
    void an_install_without_a_database_host_is_refused_with_a_message_that_says_what_to_set() {
        assertThatThrownBy(() -> Chart.render(Map.of()))
                .hasMessageContaining("externalDatabase.host is required")
                .hasMessageContaining("postgresql.enabled=true");
    }

    @Test
    void default_values_use_the_external_database_and_render_no_postgresql() {
        Manifests manifests = Chart.manifests(Chart.MINIMAL);

        assertThat(manifests.of(StatefulSet.class)).isEmpty();
        for (String service : List.of("registry", "lock-service", "scheduler-service")) {
            assertThat(configOf(manifests, service))
                    .containsEntry("BATON_DB_URL", "jdbc:postgresql://postgres.example.internal:5432/baton")
                    .containsEntry("BATON_DB_USER", "baton");
        }
        assertThat(configOf(manifests, "gateway")).doesNotContainKey("BATON_DB_URL");
    }

    @Test
    void an_existing_database_secret_provides_the_password_and_no_password_secret_is_rendered() {
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of(
                "externalDatabase.existingSecret", "baton-db",
                "externalDatabase.existingSecretPasswordKey", "pg-password",
                "externalDatabase.jdbcParameters", "sslmode=require")));

        EnvVar password = env(manifests, "registry", "BATON_DB_PASSWORD").orElseThrow();
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("baton-db");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pg-password");
        assertThat(manifests.named(Secret.class, "baton-database")).isEmpty();
        assertThat(configOf(manifests, "lock-service"))
                .containsEntry(
                        "BATON_DB_URL", "jdbc:postgresql://postgres.example.internal:5432/baton?sslmode=require");
    }

    @Test
    void the_bundled_database_is_a_statefulset_on_the_official_image_with_its_own_volume() {
        Manifests manifests = Chart.manifests(Map.of("postgresql.enabled", "true"));

        StatefulSet postgres =
                manifests.named(StatefulSet.class, "baton-postgresql").orElseThrow();
        assertThat(postgres.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("postgres:16");
        assertThat(postgres.getSpec().getVolumeClaimTemplates()).hasSize(1);
        assertThat(configOf(manifests, "scheduler-service"))
                .containsEntry("BATON_DB_URL", "jdbc:postgresql://baton-postgresql:5432/baton");
        assertThat(env(manifests, "scheduler-service", "BATON_DB_PASSWORD")
                        .orElseThrow()
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("baton-postgresql");
        assertThat(manifests.named(NetworkPolicy.class, "baton-postgresql")).isPresent();
    }

    @Test
    void
            cloudnativepg_renders_a_cluster_with_synchronous_replication_and_the_services_use_its_primary_and_its_secret() {
        Manifests manifests = Chart.manifests(Map.of("cloudnativepg.enabled", "true"));

        assertThat(manifests.ofKind("Cluster")).hasSize(1);
        GenericKubernetesResource cluster =
                (GenericKubernetesResource) manifests.ofKind("Cluster").get(0);
        assertThat(cluster.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
        assertThat(cluster.getMetadata().getName()).isEqualTo("baton-pg");
        assertThat((Object) cluster.get("spec", "instances")).isEqualTo(3);
        Map<String, Object> synchronous = cluster.get("spec", "postgresql", "synchronous");
        assertThat(synchronous)
                .containsOnly(
                        Map.entry("method", "any"), Map.entry("number", 1), Map.entry("dataDurability", "required"));
        Map<String, Object> initdb = cluster.get("spec", "bootstrap", "initdb");
        assertThat(initdb).containsEntry("database", "baton").containsEntry("owner", "baton");
        assertThat((Object) cluster.get("spec", "storage", "size")).isEqualTo("8Gi");
        for (String service : List.of("registry", "lock-service", "scheduler-service")) {
            assertThat(configOf(manifests, service))
                    .containsEntry("BATON_DB_URL", "jdbc:postgresql://baton-pg-rw:5432/baton")
                    .containsEntry("BATON_DB_USER", "baton");
            var password = env(manifests, service, "BATON_DB_PASSWORD")
                    .orElseThrow()
                    .getValueFrom()
                    .getSecretKeyRef();
            assertThat(password.getName()).isEqualTo("baton-pg-app");
            assertThat(password.getKey()).isEqualTo("password");
        }
        assertThat(manifests.of(StatefulSet.class)).as("the bundled database").isEmpty();
        assertThat(manifests.named(Secret.class, "baton-database")).isEmpty();
    }

    @Test
    void cloudnativepg_can_trade_durability_for_availability_and_size_the_cluster() {
        Manifests manifests = Chart.manifests(Map.of(
                "cloudnativepg.enabled", "true",
                "cloudnativepg.instances", "5",
                "cloudnativepg.synchronous.number", "2",
                "cloudnativepg.synchronous.dataDurability", "preferred"));

        GenericKubernetesResource cluster =
                (GenericKubernetesResource) manifests.ofKind("Cluster").get(0);
        assertThat((Object) cluster.get("spec", "instances")).isEqualTo(5);
        assertThat((Object) cluster.get("spec", "postgresql", "synchronous", "number"))
                .isEqualTo(2);
        assertThat((Object) cluster.get("spec", "postgresql", "synchronous", "dataDurability"))
                .isEqualTo("preferred");
    }

    @Test
    void no_cloudnativepg_cluster_is_rendered_unless_enabled() {
        assertThat(Chart.manifests(Chart.MINIMAL).ofKind("Cluster")).isEmpty();
        assertThat(Chart.manifests(Map.of("postgresql.enabled", "true")).ofKind("Cluster"))
                .isEmpty();
    }

    @Test
    void cloudnativepg_and_the_bundled_database_together_are_refused() {
        assertThatThrownBy(() -> Chart.render(Map.of("cloudnativepg.enabled", "true", "postgresql.enabled", "true")))
                .hasMessageContaining("cloudnativepg.enabled and postgresql.enabled exclude each other");
    }

    @Test
    void the_notes_say_the_bundled_database_is_for_evaluation_only_and_how_to_read_the_admin_key() throws Exception {
        String notes = Chart.file("templates/NOTES.txt");

        assertThat(notes).contains("evaluation only", "{.data.admin-key}", "swagger-ui.html");
    }

    @Test
    void network_policies_are_on_by_default_and_only_the_gateway_accepts_traffic_from_anywhere() {
        Manifests manifests = Chart.manifests(Chart.MINIMAL);

        for (String service : SERVICES) {
            NetworkPolicy policy =
                    manifests.named(NetworkPolicy.class, "baton-" + service).orElseThrow();
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", service);
            var from = policy.getSpec().getIngress().get(0).getFrom();
            if (service.equals("gateway")) {
                assertThat(from).as("peers of the gateway").isNullOrEmpty();
            } else {
                assertThat(from)
                        .as("peers of %s", service)
                        .singleElement()
                        .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels())
                                .containsOnly(
                                        Map.entry("app.kubernetes.io/name", "baton"),
                                        Map.entry("app.kubernetes.io/instance", Chart.RELEASE)));
            }
        }
    }

    @Test
    void network_policies_can_be_turned_off() {
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of("networkPolicy.enabled", "false")));

        assertThat(manifests.of(NetworkPolicy.class)).isEmpty();
    }

    @Test
    void an_ingress_is_rendered_only_when_enabled_and_only_for_the_gateway() {
        assertThat(Chart.manifests(Chart.MINIMAL).of(Ingress.class)).isEmpty();

        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of("ingress.enabled", "true")));

        assertThat(manifests.of(Ingress.class))
                .singleElement()
                .satisfies(ingress -> assertThat(ingress.getSpec().getRules())
                        .flatMap(rule -> rule.getHttp().getPaths())
                        .allSatisfy(path -> assertThat(
                                        path.getBackend().getService().getName())
                                .isEqualTo("baton-gateway")));
    }

    @Test
    void autoscaling_renders_a_horizontal_pod_autoscaler_and_leaves_the_replicas_to_it() {
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of(
                "lockService.autoscaling.enabled", "true",
                "lockService.autoscaling.maxReplicas", "7")));

        HorizontalPodAutoscaler autoscaler = manifests
                .named(HorizontalPodAutoscaler.class, "baton-lock-service")
                .orElseThrow();
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo("baton-lock-service");
        assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(7);
        assertThat(manifests
                        .named(Deployment.class, "baton-lock-service")
                        .orElseThrow()
                        .getSpec()
                        .getReplicas())
                .isNull();
        assertThat(manifests
                        .named(Deployment.class, "baton-registry")
                        .orElseThrow()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(1);
        assertThat(manifests.of(HorizontalPodAutoscaler.class)).hasSize(1);
    }

    @Test
    void a_pod_disruption_budget_selects_the_pods_of_its_own_service() {
        Manifests manifests =
                Chart.manifests(RenderedManifestsTest.with(Map.of("gateway.podDisruptionBudget.enabled", "true")));

        PodDisruptionBudget budget =
                manifests.named(PodDisruptionBudget.class, "baton-gateway").orElseThrow();
        Deployment gateway = manifests.named(Deployment.class, "baton-gateway").orElseThrow();
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(gateway.getSpec().getSelector().getMatchLabels());
        assertThat(Chart.manifests(Chart.MINIMAL).of(PodDisruptionBudget.class)).isEmpty();
    }

    @Test
    void service_monitors_scrape_the_prometheus_endpoint_with_the_read_key() {
        assertThat(Chart.manifests(Chart.MINIMAL).ofKind("ServiceMonitor")).isEmpty();

        Manifests manifests =
                Chart.manifests(RenderedManifestsTest.with(Map.of("metrics.serviceMonitor.enabled", "true")));

        assertThat(manifests.ofKind("ServiceMonitor")).hasSize(SERVICES.size()).allSatisfy(monitor -> {
            Map<String, Object> endpoint = ((GenericKubernetesResource) monitor).get("spec", "endpoints", 0);
            assertThat(endpoint).containsEntry("path", "/actuator/prometheus");
            assertThat(endpoint.get("authorization").toString()).contains("read-key", "baton-api-keys");
        });
    }

    @Test
    void the_gateway_routes_by_consistent_hash_over_the_registry_or_through_the_services() {
        assertThat(configOf(Chart.manifests(Chart.MINIMAL), "gateway").get("SPRING_APPLICATION_JSON"))
                .contains("\"lock-service\":\"lb://lock-service\"", "\"registry\":\"http://baton-registry:8081\"");

        Manifests viaServices =
                Chart.manifests(RenderedManifestsTest.with(Map.of("gateway.consistentHashing", "false")));

        assertThat(configOf(viaServices, "gateway").get("SPRING_APPLICATION_JSON"))
                .contains(
                        "\"lock-service\":\"http://baton-lock-service:8082\"",
                        "\"scheduler-service\":\"http://baton-scheduler-service:8083\"");
    }

    @Test
    void services_register_with_the_registry_at_their_pod_ip_using_the_services_key() {
        Manifests manifests = Chart.manifests(Chart.MINIMAL);

        for (String service : List.of("lock-service", "scheduler-service", "gateway")) {
            assertThat(configOf(manifests, service)).containsEntry("BATON_DISCOVERY_URL", "http://baton-registry:8081");
            assertThat(env(manifests, service, "BATON_DISCOVERY_HOST")
                            .orElseThrow()
                            .getValueFrom()
                            .getFieldRef()
                            .getFieldPath())
                    .isEqualTo("status.podIP");
            assertThat(env(manifests, service, "BATON_DISCOVERY_API_KEY")
                            .orElseThrow()
                            .getValueFrom()
                            .getSecretKeyRef()
                            .getKey())
                    .isEqualTo("services-key");
        }
    }

    @Test
    void extra_api_keys_are_passed_by_digest_after_the_three_keys_of_the_chart() {
        String digest = "a".repeat(64);
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of(
                "apiKeys.extra[0].name", "ci",
                "apiKeys.extra[0].sha256", digest,
                "apiKeys.extra[0].roles[0]", "READ",
                "apiKeys.extra[0].roles[1]", "WRITE")));

        assertThat(env(manifests, "registry", "BATON_SECURITY_APIKEYS_3_SHA256")
                        .orElseThrow()
                        .getValue())
                .isEqualTo(digest);
        assertThat(env(manifests, "registry", "BATON_SECURITY_APIKEYS_3_ROLES")
                        .orElseThrow()
                        .getValue())
                .isEqualTo("READ,WRITE");
    }

    static Map<String, String> configOf(Manifests manifests, String service) {
        return manifests
                .named(ConfigMap.class, "baton-" + service)
                .orElseThrow()
                .getData();
    }

    static Optional<EnvVar> env(Manifests manifests, String service, String name) {
        Container container = manifests
                .named(Deployment.class, "baton-" + service)
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        return container.getEnv().stream()
                .filter(env -> env.getName().equals(name))
                .findFirst();
    }
}
