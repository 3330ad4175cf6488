package dev.baton.gateway;

import dev.baton.common.security.ApiKeys;
import dev.baton.test.BatonServiceTest;
import dev.baton.test.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A test of the gateway over real HTTP, in front of one stand-in upstream for every service that
 * records each request it gets as {@code METHOD raw-path Authorization}. The upstream serves every
 * such test of the JVM and ends with it.
 */
@BatonServiceTest
abstract class RecordingUpstreamTest {

    static final RecordingUpstream upstream = RecordingUpstream.start(exchange -> exchange.getRequestMethod()
            + " " + exchange.getRequestURI().getRawPath() + " "
            + exchange.getRequestHeaders().getFirst("Authorization"));

    @LocalServerPort
    int port;

    @Autowired
    ApiKeys keys;

    TestHttp http;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        String url = upstream.url();
        registry.add("baton.gateway.upstreams.registry", () -> url);
        registry.add("baton.gateway.upstreams.lock-service", () -> url);
        registry.add("baton.gateway.upstreams.scheduler-service", () -> url);
    }

    @BeforeEach
    void connect() {
        http = TestHttp.localhost(port);
        upstream.seen().clear();
    }
}
