package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.CollectedSpans;
import dev.baton.test.TestApiKeys;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A caller's trace goes on through the gateway, by either path: the gateway's spans are the
 * children of the caller's, and the service gets the gateway's span as its parent, never the
 * caller's {@code traceparent} passed on unchanged (docs/adr/0025).
 */
class GatewayTracingTest extends RecordingUpstreamTest {

    @Autowired
    InMemorySpanExporter spans;

    @Test
    void a_request_through_the_route_reaches_the_service_as_a_child_of_the_gateways_span() {
        String traceId = CollectedSpans.traceId();
        String caller = CollectedSpans.spanId();

        assertThat(traced("GET", "/api/v1/jobs/traced", TestApiKeys.READ, null, traceId, caller))
                .isEqualTo(200);

        String sent = upstream.traceparent("GET /api/v1/jobs/traced");
        assertThat(CollectedSpans.traceIdOf(sent)).isEqualTo(traceId);
        assertThat(ancestry(traceId, CollectedSpans.spanIdOf(sent), caller))
                .as("the gateway's spans, then the caller's")
                .hasSizeGreaterThan(1);
    }

    @Test
    void a_lease_call_reaches_lock_service_as_a_child_of_the_gateways_span() {
        String traceId = CollectedSpans.traceId();
        String caller = CollectedSpans.spanId();

        assertThat(traced(
                        "POST", "/api/v1/locks/traced/leases", TestApiKeys.WRITE, "{\"owner\":\"a\"}", traceId, caller))
                .isEqualTo(200);

        SpanData proxy = CollectedSpans.await(spans, traceId, "http post /api/v1/locks/{name}/leases");
        assertThat(proxy.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(proxy.getParentSpanId()).isEqualTo(caller);
        assertThat(CollectedSpans.attribute(proxy, "baton.upstream")).isEqualTo("localhost:" + upstream.port());
        assertThat(upstream.traceparent("POST /api/v1/locks/traced/leases"))
                .isEqualTo(CollectedSpans.traceparent(traceId, proxy.getSpanId()));
    }

    /** Sends a request in the caller's span of a trace; returns its status. */
    private int traced(String method, String path, String key, String body, String traceId, String caller) {
        return http.send(method, path, key, body, Map.of("traceparent", CollectedSpans.traceparent(traceId, caller)))
                .status();
    }

    /**
     * The span ids from {@code spanId}, one of the gateway's, up through its parents to the first
     * that the gateway did not end; waits until that is {@code caller}'s, as it is once every span
     * of the gateway's has ended.
     */
    private List<String> ancestry(String traceId, String spanId, String caller) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> chain(traceId, spanId),
                        ids -> ids.size() > 1 && ids.get(ids.size() - 1).equals(caller));
    }

    private List<String> chain(String traceId, String spanId) {
        Map<String, String> parents = new HashMap<>();
        spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId))
                .forEach(span -> parents.put(span.getSpanId(), span.getParentSpanId()));
        List<String> ids = new ArrayList<>();
        for (String id = spanId; id != null; id = parents.get(id)) {
            ids.add(id);
        }
        return ids;
    }
}
