package dev.baton.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.registry.RegistryApplication;
import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The audit log's {@code remoteAddress} believes {@code X-Forwarded-For} only from a trusted
 * proxy: this test's replica trusts none, a second one on the same database trusts loopback, where
 * the test's calls come from.
 */
@BatonServiceTest
class AuditAddressTest {

    private static ServiceInstance trusting;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startTrustingReplica() {
        trusting = ServiceInstance.start(RegistryApplication.class, "baton.security.trusted-proxies=127.0.0.0/8,::1");
    }

    @AfterAll
    static void stopTrustingReplica() {
        trusting.close();
    }

    /** Writes a config value with the admin key, forwarded as {@code forwardedFor} says, and returns its audit entry. */
    private JsonNode audited(TestHttp http, String forwardedFor) {
        String namespace = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        HttpRequest.Builder request = http.request("/api/v1/config/" + namespace + "/k")
                .header("Authorization", "Bearer " + TestApiKeys.ADMIN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\": \"v\"}"));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        assertThat(http.send(request.build()).status()).isEqualTo(200);
        TestHttp own = TestHttp.localhost(port);
        String query = "/api/v1/audit?kind=config&name=" + namespace;
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() ->
                        own.get(query, TestApiKeys.ADMIN).json().path("items").size() == 1);
        return own.get(query, TestApiKeys.ADMIN).json().path("items").get(0);
    }

    @Test
    void by_default_the_peer_is_recorded_and_a_forwarded_chain_is_not_believed() {
        TestHttp http = TestHttp.localhost(port);

        assertThat(audited(http, "203.0.113.9").path("remoteAddress").asString())
                .isEqualTo("127.0.0.1");
        assertThat(audited(http, null).path("remoteAddress").asString()).isEqualTo("127.0.0.1");
    }

    @Test
    void from_a_trusted_proxy_the_hop_it_vouches_for_is_recorded_and_what_the_client_forged_before_it_is_not() {
        assertThat(audited(trusting.http(), "203.0.113.9").path("remoteAddress").asString())
                .isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(audited(trusting.http(), "198.51.100.7, 203.0.113.9")
                        .path("remoteAddress")
                        .asString())
                .isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(audited(trusting.http(), null).path("remoteAddress").asString())
                .isEqualTo("127.0.0.1");
    }
}
