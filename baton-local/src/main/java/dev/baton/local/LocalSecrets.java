package dev.baton.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The local suite's secrets, each from its environment variable, else generated once and kept in
 * the data folder: the admin key ({@code BATON_ADMIN_KEY}, {@code admin-key}) and the secret the
 * scheduler signs its calls to workers with ({@code BATON_SIGNING_SECRET}, {@code signing-secret}).
 */
final class LocalSecrets {

    private LocalSecrets() {}

    static String adminKey(Path home) throws IOException {
        return kept(home, "BATON_ADMIN_KEY", "admin-key");
    }

    static String signingSecret(Path home) throws IOException {
        return kept(home, "BATON_SIGNING_SECRET", "signing-secret");
    }

    /** The secret the gateway seals console sessions with, kept so that a restart keeps users signed in. */
    static String consoleSecret(Path home) throws IOException {
        return kept(home, "BATON_CONSOLE_SECRET", "console-secret");
    }

    private static String kept(Path home, String variable, String name) throws IOException {
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        Path file = home.resolve(name);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String key = generate();
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // The file system has no POSIX permissions; the secret stays readable as the folder is.
        }
        return key;
    }

    /** A new random key or secret: 43 characters of 32 random bytes. */
    static String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return "baton_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE provides SHA-256", e);
        }
    }
}
