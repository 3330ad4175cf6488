package dev.baton.client.tracing;

import dev.baton.http.TracePropagation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Sends the application's trace context (the current span's W3C {@code traceparent}) with the
 * client's calls and the worker's reports, where the application traces with Micrometer Tracing.
 * Without Micrometer Tracing on the classpath, or without a tracer, nothing is sent and nothing
 * of it is loaded.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration"
        })
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean({Tracer.class, Propagator.class})
public class BatonTracingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TracePropagation batonTracePropagation(Tracer tracer, Propagator propagator) {
        return () -> {
            Span current = tracer.currentSpan();
            if (current == null) {
                return Map.of();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            propagator.inject(current.context(), headers, Map::put);
            return headers;
        };
    }
}
