package dev.baton.signing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on a call from Baton's scheduler: {@code X-Baton-Timestamp} (Unix seconds) and
 * {@code X-Baton-Signature: v1=<hex HMAC-SHA256>} over
 * {@code timestamp "." method " " path "." value "." ... "." body}, where the values are those of
 * the signed headers in their fixed order (the {@link #EXECUTION_HEADERS} of a call to a worker,
 * none for a call that carries no execution) and {@code path} is the request target as sent: the
 * raw path, and {@code "?"} with the raw query when there is one. The scheduler makes it; the
 * worker SDK checks it. Stateless and thread-safe.
 */
public final class CallSignature {

    public static final String TIMESTAMP = "X-Baton-Timestamp";
    public static final String SIGNATURE = "X-Baton-Signature";
    public static final String EXECUTION_ID = "X-Baton-Execution-Id";
    public static final String ATTEMPT = "X-Baton-Attempt";
    public static final String SHARD_INDEX = "X-Baton-Shard-Index";
    public static final String SHARD_TOTAL = "X-Baton-Shard-Total";
    public static final String SCHEDULED_AT = "X-Baton-Scheduled-At";

    /** The headers that name the execution a worker runs, signed in this order. */
    public static final List<String> EXECUTION_HEADERS =
            List.of(EXECUTION_ID, ATTEMPT, SHARD_INDEX, SHARD_TOTAL, SCHEDULED_AT);

    /** How far a call's timestamp may be from the checker's clock, either way. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** The shortest secret taken: 32 characters, as many random ones as an HMAC-SHA256 key deserves. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final String VERSION = "v1=";
    private static final String ALGORITHM = "HmacSHA256";

    private CallSignature() {}

    /** The request target that is signed: the raw path ({@code /} when empty) and the raw query. */
    public static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /**
     * The {@code X-Baton-Signature} value of a call.
     *
     * @param headerValues the values of the signed headers, in order
     * @throws IllegalArgumentException when the secret is shorter than {@link #MIN_SECRET_LENGTH}
     */
    public static String sign(
            String secret, long timestamp, String method, String target, List<String> headerValues, byte[] body) {
        return VERSION + HexFormat.of().formatHex(mac(secret, signed(timestamp, method, target, headerValues, body)));
    }

    /**
     * Checks a call's {@code X-Baton-Timestamp} and {@code X-Baton-Signature} against every secret
     * it may be signed with (more than one while a secret is rotated).
     *
     * @param timestamp the {@code X-Baton-Timestamp} header, or null
     * @param signature the {@code X-Baton-Signature} header, or null; several comma-separated
     *        {@code v1=} values are each tried
     * @param headerValues the values of the signed headers, in order; null for an absent one
     * @return the call's timestamp when it is signed with one of the secrets within the tolerance
     * @throws Refused saying what is wrong
     */
    public static long verify(
            List<String> secrets,
            String timestamp,
            String signature,
            String method,
            String target,
            List<String> headerValues,
            byte[] body,
            Instant now)
            throws Refused {
        if (timestamp == null || timestamp.isBlank()) {
            throw new Refused(TIMESTAMP + " is missing");
        }
        if (signature == null || signature.isBlank()) {
            throw new Refused(SIGNATURE + " is missing");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new Refused(TIMESTAMP + " must be Unix seconds, not '" + timestamp + "'");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            throw new Refused(
                    TIMESTAMP + " is more than " + TOLERANCE.toMinutes() + " minutes from this worker's clock");
        }
        byte[] signed = signed(seconds, method, target, headerValues, body);
        for (String secret : secrets) {
            byte[] expected = mac(secret, signed);
            for (String value : signature.split(",")) {
                byte[] given =
                        value.trim().startsWith(VERSION) ? parseHex(value.trim().substring(VERSION.length())) : null;
                if (given != null && MessageDigest.isEqual(expected, given)) {
                    return seconds;
                }
            }
        }
        throw new Refused(SIGNATURE + " does not match the call");
    }

    /** Checks that a secret can sign: long enough. */
    public static String requireSecret(String secret, String name) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_SECRET_LENGTH + " characters long");
        }
        return secret;
    }

    /** A call whose signature does not hold; the message says why. */
    public static final class Refused extends Exception {

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private static byte[] parseHex(String hex) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] signed(long timestamp, String method, String target, List<String> headerValues, byte[] body) {
        StringBuilder head = new StringBuilder()
                .append(timestamp)
                .append('.')
                .append(method)
                .append(' ')
                .append(target)
                .append('.');
        for (String value : headerValues) {
            head.append(value == null ? "" : value).append('.');
        }
        ByteArrayOutputStream signed = new ByteArrayOutputStream(head.length() + body.length);
        signed.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        signed.writeBytes(body);
        return signed.toByteArray();
    }

    private static byte[] mac(String secret, byte[] signed) {
        requireSecret(secret, "A signing secret");
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac.doFinal(signed);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JRE provides " + ALGORITHM, e);
        }
    }
}
