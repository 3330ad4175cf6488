package dev.baton.gateway.console;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a {@link ConsoleSession} into a cookie value and opens it again: AES-256-GCM, so the value
 * is secret (it carries an API key) and any change to it is detected. Every gateway replica with
 * the same secret opens the others' cookies, and a restart keeps them valid. The CSRF token of a
 * session is an HMAC of its id, so it needs no state either.
 */
final class SessionCookies {

    private static final String ENCRYPTION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] VERSION = "baton-console-session-v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKey encryption;
    private final SecretKey csrf;
    private final SecureRandom random = new SecureRandom();

    SessionCookies(byte[] secret) {
        this.encryption = new SecretKeySpec(derive(secret, "encryption"), "AES");
        this.csrf = new SecretKeySpec(derive(secret, "csrf"), "HmacSHA256");
    }

    /** A random secret, for a gateway configured without one. */
    static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    ConsoleSession create(String key, Instant now) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return new ConsoleSession(HexFormat.of().formatHex(id), key, now, now);
    }

    String seal(ConsoleSession session) {
        String plain = session.id() + "\n" + session.signedInAt().toEpochMilli() + "\n"
                + session.seenAt().toEpochMilli() + "\n" + session.key();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(ENCRYPTION);
            cipher.init(Cipher.ENCRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(VERSION);
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                            .put(nonce)
                            .put(sealed)
                            .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JRE", e);
        }
    }

    /** The session a cookie value carries, or empty for one this secret did not seal, or changed. */
    Optional<ConsoleSession> open(String value) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(value);
            if (bytes.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance(ENCRYPTION);
            cipher.init(Cipher.DECRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(VERSION);
            String[] fields = new String(
                            cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8)
                    .split("\n", 4);
            if (fields.length != 4) {
                return Optional.empty();
            }
            return Optional.of(new ConsoleSession(
                    fields[0],
                    fields[3],
                    Instant.ofEpochMilli(Long.parseLong(fields[1])),
                    Instant.ofEpochMilli(Long.parseLong(fields[2]))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    String csrfToken(ConsoleSession session) {
        return HexFormat.of().formatHex(hmac(csrf, session.id()));
    }

    boolean csrfValid(ConsoleSession session, String token) {
        return token != null
                && MessageDigest.isEqual(
                        csrfToken(session).getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] derive(byte[] secret, String purpose) {
        return hmac(new SecretKeySpec(secret, "HmacSHA256"), "baton-console-" + purpose);
    }

    private static byte[] hmac(SecretKey key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JRE", e);
        }
    }
}
