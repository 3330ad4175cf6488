package dev.baton.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** Where a request's hash key comes from. */
class HashRoutingTest {

    @Test
    void a_path_segment_is_the_key_decoded() {
        HashRouting routing = new HashRouting("path:3", 0.25, 256);
        assertThat(routing.keyOf(
                        MockServerHttpRequest.method(HttpMethod.GET, URI.create("/api/v1/locks/orders%2F42/leases"))
                                .build()))
                .isEqualTo("orders/42");
        assertThat(routing.keyOf(
                        MockServerHttpRequest.get("/api/v1/locks/orders").build()))
                .isEqualTo("orders");
        assertThat(routing.keyOf(MockServerHttpRequest.get("/api/v1/locks").build()))
                .isNull();
        assertThat(routing.keyOf(MockServerHttpRequest.get("/api/v1/locks/").build()))
                .isNull();
    }

    @Test
    void a_header_or_a_query_parameter_can_be_the_key() {
        assertThat(new HashRouting("header:X-Tenant", 0.25, 256)
                        .keyOf(MockServerHttpRequest.get("/x")
                                .header("X-Tenant", "acme")
                                .build()))
                .isEqualTo("acme");
        assertThat(new HashRouting("query:job", 0.25, 256)
                        .keyOf(MockServerHttpRequest.get("/x?job=42").build()))
                .isEqualTo("42");
        assertThat(new HashRouting("query:job", 0.25, 256)
                        .keyOf(MockServerHttpRequest.get("/x").build()))
                .isNull();
    }

    @Test
    void the_hash_key_header_wins_and_no_rule_means_no_key() {
        assertThat(new HashRouting("path:3", 0.25, 256)
                        .keyOf(MockServerHttpRequest.get("/api/v1/locks/a")
                                .header(HashRouting.KEY_HEADER, "b")
                                .build()))
                .isEqualTo("b");
        assertThat(new HashRouting(null, 0.25, 256)
                        .keyOf(MockServerHttpRequest.get("/api/v1/locks/a").build()))
                .isNull();
    }

    @Test
    void bad_settings_are_refused() {
        assertThatThrownBy(() -> new HashRouting("cookie:x", 0.25, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashRouting("path:3", 0, 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashRouting("path:3", 0.25, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
