package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The services' audit log believes X-Forwarded-For from the gateway's pods, named by a headless
 * Service that lists every one of them, and from the proxies in trustedProxies; the gateway itself
 * trusts none.
 */
class TrustedProxiesTest {

    @Test
    void the_services_trust_the_gateway_pods_and_the_listed_proxies() {
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of("trustedProxies[0]", "10.42.0.0/16")));

        Service pods = manifests.named(Service.class, "baton-gateway-pods").orElseThrow();
        assertThat(pods.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(pods.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(pods.getSpec().getSelector())
                .isEqualTo(manifests
                        .named(Service.class, "baton-gateway")
                        .orElseThrow()
                        .getSpec()
                        .getSelector());
        for (String service : new String[] {"registry", "lock-service", "scheduler-service"}) {
            assertThat(ValueSetsTest.configOf(manifests, service))
                    .as(service)
                    .containsEntry("BATON_SECURITY_TRUSTEDPROXIES", "baton-gateway-pods.baton.svc,10.42.0.0/16");
        }
        assertThat(ValueSetsTest.configOf(manifests, "gateway")).doesNotContainKey("BATON_SECURITY_TRUSTEDPROXIES");
    }

    @Test
    void by_default_only_the_gateway_pods_are_trusted() {
        assertThat(ValueSetsTest.configOf(Chart.manifests(Chart.MINIMAL), "registry"))
                .containsEntry("BATON_SECURITY_TRUSTEDPROXIES", "baton-gateway-pods.baton.svc");
    }
}
