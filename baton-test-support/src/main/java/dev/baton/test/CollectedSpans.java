package dev.baton.test;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The spans a service under test ends, collected in memory by OpenTelemetry's
 * {@link InMemorySpanExporter}, registered beside the exporters Spring Boot configures. A test
 * starts its trace with {@link #traceparent}: sampled, so that the service records every span of
 * it whatever its sampling probability.
 */
@TestConfiguration(proxyBeanMethods = false)
public class CollectedSpans {

    @Bean
    InMemorySpanExporter collectedSpans() {
        return InMemorySpanExporter.create();
    }

    /** A new trace's id: 32 hex digits. */
    public static String traceId() {
        return hex(16);
    }

    /** A new span's id: 16 hex digits. */
    public static String spanId() {
        return hex(8);
    }

    /** The W3C {@code traceparent} of a sampled span. */
    public static String traceparent(String traceId, String spanId) {
        return "00-" + traceId + "-" + spanId + "-01";
    }

    /** The trace id of a W3C {@code traceparent}. */
    public static String traceIdOf(String traceparent) {
        return traceparent.split("-")[1];
    }

    /** The span id (the parent's, to its receiver) of a W3C {@code traceparent}. */
    public static String spanIdOf(String traceparent) {
        return traceparent.split("-")[2];
    }

    /** Waits up to 10 s for the span of the trace that has this name, once it has ended. */
    public static SpanData await(InMemorySpanExporter spans, String traceId, String name) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> find(spans.getFinishedSpanItems(), traceId, name), Optional::isPresent)
                .orElseThrow();
    }

    /** A span's attribute of this name, as text; null when it has none. */
    public static String attribute(SpanData span, String key) {
        return span.getAttributes().asMap().entrySet().stream()
                .filter(attribute -> attribute.getKey().getKey().equals(key))
                .map(attribute -> String.valueOf(attribute.getValue()))
                .findFirst()
                .orElse(null);
    }

    private static Optional<SpanData> find(List<SpanData> spans, String traceId, String name) {
        return spans.stream()
                .filter(span ->
                        span.getTraceId().equals(traceId) && span.getName().equals(name))
                .findFirst();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
