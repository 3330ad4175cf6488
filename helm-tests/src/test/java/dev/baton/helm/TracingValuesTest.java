package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every service samples as tracing.samplingProbability says, and exports spans only to tracing.otlpEndpoint. */
class TracingValuesTest {

    private static final String[] SERVICES = {"registry", "lock-service", "scheduler-service", "gateway"};

    @Test
    void by_default_every_service_samples_a_tenth_and_exports_nothing() {
        Manifests manifests = Chart.manifests(Chart.MINIMAL);
        for (String service : SERVICES) {
            assertThat(ValueSetsTest.configOf(manifests, service))
                    .as(service)
                    .containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.1")
                    .doesNotContainKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
        }
    }

    @Test
    void an_endpoint_turns_export_on_for_every_service() {
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of(
                "tracing.otlpEndpoint", "http://otel-collector:4318/v1/traces", "tracing.samplingProbability", "1")));
        for (String service : SERVICES) {
            assertThat(ValueSetsTest.configOf(manifests, service))
                    .as(service)
                    .containsEntry(
                            "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                            "http://otel-collector:4318/v1/traces")
                    .containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1");
        }
    }
}
