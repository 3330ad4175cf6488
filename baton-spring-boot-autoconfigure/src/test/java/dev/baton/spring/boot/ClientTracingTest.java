package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.baton.client.BatonClient;
import dev.baton.client.tracing.BatonTracingAutoConfiguration;
import dev.baton.http.TracePropagation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The client sends the application's trace context where the application traces with Micrometer
 * Tracing, and needs no tracing library where it does not.
 */
class ClientTracingTest {

    private static HttpServer baton;
    private static final List<Optional<String>> traceparents = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    OpenTelemetrySdkAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class,
                    BatonTracingAutoConfiguration.class,
                    BatonAutoConfiguration.class))
            .withPropertyValues("baton.api-key=some-key");

    @BeforeAll
    static void startBaton() throws IOException {
        baton = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        baton.createContext("/", exchange -> {
            traceparents.add(Optional.ofNullable(exchange.getRequestHeaders().getFirst("traceparent")));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        baton.start();
    }

    @AfterAll
    static void stopBaton() {
        baton.stop(0);
    }

    private static String url() {
        return "http://127.0.0.1:" + baton.getAddress().getPort();
    }

    @Test
    void an_application_that_traces_sends_its_current_span_as_the_traceparent() {
        runner.withPropertyValues("baton.url=" + url()).run(context -> {
            Tracer tracer = context.getBean(Tracer.class);
            traceparents.clear();
            Span span = tracer.nextSpan().name("billing run").start();
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                context.getBean(BatonClient.class).http().call("GET", "/api/v1/locks/orders", null, Duration.ZERO);
            } finally {
                span.end();
            }
            context.getBean(BatonClient.class).http().call("GET", "/api/v1/locks/orders", null, Duration.ZERO);

            assertThat(traceparents).hasSize(2);
            assertThat(traceparents.get(0))
                    .hasValueSatisfying(traceparent -> assertThat(traceparent)
                            .startsWith("00-" + span.context().traceId() + "-"
                                    + span.context().spanId() + "-"));
            assertThat(traceparents.get(1)).as("no span is current").isEmpty();
        });
    }

    @Test
    void without_micrometer_tracing_on_the_classpath_the_client_sends_no_trace_context() {
        runner.withPropertyValues("baton.url=" + url())
                .withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(TracePropagation.class);
                    traceparents.clear();
                    context.getBean(BatonClient.class).http().call("GET", "/api/v1/locks/orders", null, Duration.ZERO);
                    assertThat(traceparents).containsExactly(Optional.empty());
                });
    }
}
