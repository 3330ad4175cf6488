package dev.baton.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance of the registry as Spring Cloud sees it. */
class BatonServiceInstanceTest {

    private static BatonServiceInstance instance(String host, int port, boolean secure) {
        return new BatonServiceInstance(new RegistryClient.RegisteredInstance(
                "lock-service", "lock-1", host, port, secure, "eu-1", 2, Map.of("version", "1")));
    }

    @Test
    void its_uri_is_made_once_from_its_scheme_host_and_port() {
        BatonServiceInstance plain = instance("10.0.0.7", 8080, false);
        assertThat(plain.getUri()).isEqualTo(URI.create("http://10.0.0.7:8080"));
        assertThat(plain.getUri()).isSameAs(plain.getUri());
        assertThat(instance("lock-1.internal", 8443, true).getUri())
                .isEqualTo(URI.create("https://lock-1.internal:8443"));
        assertThat(plain.getMetadata()).containsEntry("zone", "eu-1").containsEntry("weight", "2");
        assertThat(plain).hasToString("lock-service/lock-1 at http://10.0.0.7:8080");
    }
}
