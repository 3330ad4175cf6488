package dev.baton.spring.boot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;

/** Entries of a registry's config center, written and deleted with the admin key. */
final class ConfigEntries {

    private ConfigEntries() {}

    static void put(TestHttp registry, String namespace, String key, String value) {
        TestHttp.Response response = registry.send(
                "PUT", "/api/v1/config/" + namespace + "/" + key, TestApiKeys.ADMIN, "{\"value\": \"" + value + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    static void delete(TestHttp registry, String namespace, String key) {
        assertThat(registry.send("DELETE", "/api/v1/config/" + namespace + "/" + key, TestApiKeys.ADMIN, null)
                        .status())
                .isEqualTo(204);
    }
}
