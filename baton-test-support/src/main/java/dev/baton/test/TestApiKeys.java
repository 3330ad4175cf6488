package dev.baton.test;

import dev.baton.common.security.ApiKeys;
import dev.baton.common.security.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/** API keys that every test context accepts: one per role. */
public final class TestApiKeys {

    public static final String READ = "test-read-key-0123456789abcdef";
    public static final String WRITE = "test-write-key-0123456789abcdef";
    public static final String ADMIN = "test-admin-key-0123456789abcdef";

    private TestApiKeys() {
    }

    /** The {@code baton.security.api-keys} properties that configure the three keys. */
    public static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        add(properties, 0, "test-read", READ, Role.READ);
        add(properties, 1, "test-write", WRITE, Role.WRITE);
        add(properties, 2, "test-admin", ADMIN, Role.ADMIN);
        return properties;
    }

    private static void add(Map<String, Object> properties, int index, String name, String key, Role role) {
        String prefix = "baton.security.api-keys[" + index + "].";
        properties.put(prefix + "name", name);
        properties.put(prefix + "sha256", ApiKeys.sha256(key));
        properties.put(prefix + "roles", role.name());
    }
}
