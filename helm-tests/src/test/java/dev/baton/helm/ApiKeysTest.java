package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generated keys: each digest is the SHA-256 of its key, and an upgrade keeps the keys. */
class ApiKeysTest {

    private static final String NAMESPACE = "baton";

    @AfterEach
    void forgetTheInstalledSecret() {
        Chart.CLUSTER.clear();
    }

    @Test
    void every_generated_key_comes_with_the_lowercase_hex_sha256_the_services_expect() throws Exception {
        Map<String, String> data = decoded(generatedSecret());

        for (String key : new String[] {"admin-key", "services-key", "read-key"}) {
            assertThat(data.get(key)).startsWith("baton_").hasSizeGreaterThan(40);
            assertThat(data.get(key + "-sha256")).isEqualTo(sha256(data.get(key)));
        }
    }

    @Test
    void an_upgrade_keeps_the_keys_already_installed() throws Exception {
        Secret installed = generatedSecret();
        Chart.CLUSTER.putSecret(NAMESPACE, "baton-api-keys", """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"baton-api-keys","namespace":"baton"},
                 "data":{"admin-key":"%s","services-key":"%s","read-key":"%s"}}""".formatted(
                        installed.getData().get("admin-key"),
                        installed.getData().get("services-key"),
                        installed.getData().get("read-key")));

        Secret upgraded = generatedSecret();

        assertThat(upgraded.getData()).isEqualTo(installed.getData());
    }

    @Test
    void two_installs_get_different_keys() {
        assertThat(generatedSecret().getData().get("admin-key"))
                .isNotEqualTo(generatedSecret().getData().get("admin-key"));
    }

    @Test
    void an_existing_secret_replaces_the_generated_one() {
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of("apiKeys.existingSecret", "my-keys")));

        assertThat(manifests.named(Secret.class, "baton-api-keys")).isEmpty();
        assertThat(ValueSetsTest.env(manifests, "gateway", "BATON_SECURITY_APIKEYS_0_SHA256")
                        .orElseThrow()
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("my-keys");
    }

    private static Secret generatedSecret() {
        return Chart.manifests(Chart.MINIMAL)
                .named(Secret.class, "baton-api-keys")
                .orElseThrow();
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> decoded = new java.util.HashMap<>();
        secret.getData()
                .forEach((key, value) ->
                        decoded.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        return decoded;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
