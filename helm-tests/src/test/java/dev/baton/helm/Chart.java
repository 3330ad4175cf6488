package dev.baton.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The chart under test, rendered in-process by Helm and read back as Kubernetes objects. */
final class Chart {

    static final Path PATH = Path.of(System.getProperty("baton.chart", "../helm/baton"))
            .toAbsolutePath()
            .normalize();

    static final String RELEASE = "baton";

    /** The least an install needs: where the external database is. */
    static final Map<String, String> MINIMAL = Map.of("externalDatabase.host", "postgres.example.internal");

    /** Helm's own default (1.20) predates the chart's kubeVersion; render for a supported cluster. */
    static final String KUBE_VERSION = "1.31.0";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Answers the chart's lookups; empty unless a test plays an upgrade. */
    static final FakeKubernetesApi CLUSTER = FakeKubernetesApi.start();

    private Chart() {}

    static String render(Map<String, String> values) {
        return template(values).call();
    }

    /** Renders with a values file too, for values that --set cannot express (an empty list, say). */
    static String render(Map<String, String> values, String valuesYaml) throws java.io.IOException {
        Path file = Files.createTempFile("baton-values", ".yaml");
        try {
            Files.writeString(file, valuesYaml);
            return template(values).withValuesFile(file).call();
        } finally {
            Files.delete(file);
        }
    }

    private static TemplateCommand template(Map<String, String> values) {
        TemplateCommand template = new Helm(PATH)
                .template()
                .withName(RELEASE)
                .withNamespace("baton")
                .withKubeVersion(KUBE_VERSION);
        values.forEach(template::set);
        return template;
    }

    static Manifests manifests(Map<String, String> values) {
        return new Manifests(parse(render(values)));
    }

    static List<HasMetadata> parse(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(document -> document.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#")))
                .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
                .toList();
    }

    static String file(String relativePath) throws java.io.IOException {
        return Files.readString(PATH.resolve(relativePath));
    }
}
