package dev.baton.test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** API keys that every test context accepts: one per role. */
public final class TestApiKeys {

    public static final String READ = "test-read-key-0123456789abcdef";
    public static final String WRITE = "test-write-key-0123456789abcdef";
    public static final String ADMIN = "test-admin-key-0123456789abcdef";

    private TestApiKeys() {}

    /**
     * The {@code baton.security.api-keys} properties that configure the three keys; the read and
     * write keys may also follow the registry's key feed, as a gateway started with either does.
     */
    public static Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        add(properties, 0, "test-read", READ, "READ");
        add(properties, 1, "test-write", WRITE, "WRITE");
        add(properties, 2, "test-admin", ADMIN, "ADMIN");
        properties.put("baton.keys.feed-readers", "test-read,test-write");
        return properties;
    }

    private static void add(Map<String, Object> properties, int index, String name, String key, String role) {
        String prefix = "baton.security.api-keys[" + index + "].";
        properties.put(prefix + "name", name);
        properties.put(prefix + "sha256", sha256(key));
        properties.put(prefix + "roles", role);
    }

    /** Keys are configured by their lowercase hex SHA-256. */
    private static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE provides SHA-256", e);
        }
    }
}
