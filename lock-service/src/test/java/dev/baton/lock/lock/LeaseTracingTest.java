package dev.baton.lock.lock;

import static dev.baton.test.CollectedSpans.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.CollectedSpans;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Lease calls as spans of their caller's trace, served on Reactor Netty's own routes (docs/adr/0025). */
@BatonServiceTest
class LeaseTracingTest {

    @LocalServerPort
    int port;

    @Autowired
    InMemorySpanExporter spans;

    @Test
    void acquire_renew_and_release_are_children_of_the_callers_span_and_name_their_lease() {
        TestHttp http = TestHttp.localhost(port);
        String name = "traced-" + UUID.randomUUID();
        String traceId = CollectedSpans.traceId();
        String caller = CollectedSpans.spanId();
        Map<String, String> trace = Map.of("traceparent", CollectedSpans.traceparent(traceId, caller));

        TestHttp.Response acquired = http.send(
                "POST",
                "/api/v1/locks/" + name + "/leases",
                TestApiKeys.WRITE,
                "{\"owner\":\"alice\",\"ttlMs\":30000}",
                trace);
        assertThat(acquired.status()).isEqualTo(201);
        String leaseId = acquired.json().path("leaseId").asString();
        String lease = "/api/v1/locks/" + name + "/leases/" + leaseId;
        assertThat(http.send("PUT", lease, TestApiKeys.WRITE, "{\"ttlMs\":30000}", trace)
                        .status())
                .isEqualTo(200);
        assertThat(http.send("DELETE", lease, TestApiKeys.WRITE, null, trace).status())
                .isEqualTo(204);

        SpanData acquire = CollectedSpans.await(spans, traceId, "lease acquire");
        assertThat(attribute(acquire, "baton.lease.token"))
                .isEqualTo(acquired.json().path("token").asString());
        assertThat(attribute(acquire, "http.response.status_code")).isEqualTo("201");
        assertThat(attribute(acquire, "http.route")).isEqualTo("/api/v1/locks/{name}/leases");
        for (String operation : new String[] {"lease acquire", "lease renew", "lease release"}) {
            SpanData span = CollectedSpans.await(spans, traceId, operation);
            assertThat(span.getParentSpanId()).as(operation).isEqualTo(caller);
            assertThat(span.getKind()).as(operation).isEqualTo(SpanKind.SERVER);
            assertThat(attribute(span, "baton.lease.kind")).as(operation).isEqualTo("LOCK");
            assertThat(attribute(span, "baton.lease.name")).as(operation).isEqualTo(name);
            assertThat(attribute(span, "baton.lease.id")).as(operation).isEqualTo(leaseId);
        }
    }
}
