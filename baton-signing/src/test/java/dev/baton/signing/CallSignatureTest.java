package dev.baton.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signed string, pinned by values computed with Python's hmac module, and the checks on it. */
class CallSignatureTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final long AT = 1_767_225_600L;
    private static final List<String> EXECUTION = List.of("42", "1", "0", "1", "2026-01-01T00:00:00Z");
    private static final byte[] BODY = "{\"cents\":5}".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_worker_call_signs_its_execution_headers_between_path_and_body() {
        assertThat(CallSignature.sign(SECRET, AT, "POST", "/baton/tasks/charge", EXECUTION, BODY))
                .isEqualTo("v1=361450186cd08070f1e451e04a0477abd7a795ad2d2824f225148c6236a76d72");
    }

    @Test
    void a_call_without_signed_headers_signs_timestamp_method_path_and_body() {
        assertThat(CallSignature.sign(
                        SECRET,
                        AT,
                        "POST",
                        "/hooks/ops?team=a",
                        List.of(),
                        "{\"event\":\"FAILED\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1=8ffb8bad96ef41a54e83f0acfcc9d4fdd060dca4d15fc6676cbb173512727df7");
    }

    @Test
    void the_target_is_the_raw_path_and_query_as_sent() {
        assertThat(CallSignature.target(URI.create("http://w:8080"))).isEqualTo("/");
        assertThat(CallSignature.target(URI.create("http://w/a%2Fb/c?x=1%202"))).isEqualTo("/a%2Fb/c?x=1%202");
    }

    @Test
    void a_signature_by_any_of_the_secrets_within_five_minutes_holds() throws Exception {
        String signature = CallSignature.sign(SECRET, AT, "POST", "/t", EXECUTION, BODY);
        List<String> secrets = List.of("another-secret-of-thirty-two-chars!", SECRET);

        assertThat(CallSignature.verify(
                        secrets,
                        String.valueOf(AT),
                        "v1=00, " + signature,
                        "POST",
                        "/t",
                        EXECUTION,
                        BODY,
                        Instant.ofEpochSecond(AT + 300)))
                .isEqualTo(AT);
        assertThat(CallSignature.verify(
                        secrets,
                        String.valueOf(AT),
                        signature,
                        "POST",
                        "/t",
                        EXECUTION,
                        BODY,
                        Instant.ofEpochSecond(AT - 300)))
                .isEqualTo(AT);
    }

    @Test
    void each_changed_part_or_a_stale_or_garbled_header_is_refused_with_its_reason() {
        String signature = CallSignature.sign(SECRET, AT, "POST", "/t", EXECUTION, BODY);
        Instant now = Instant.ofEpochSecond(AT);
        String ts = String.valueOf(AT);
        List<String> secrets = List.of(SECRET);

        assertRefused(
                () -> CallSignature.verify(secrets, ts, signature, "PUT", "/t", EXECUTION, BODY, now),
                "does not match");
        assertRefused(
                () -> CallSignature.verify(secrets, ts, signature, "POST", "/t?x", EXECUTION, BODY, now),
                "does not match");
        assertRefused(
                () -> CallSignature.verify(
                        secrets,
                        ts,
                        signature,
                        "POST",
                        "/t",
                        List.of("42", "2", "0", "1", "2026-01-01T00:00:00Z"),
                        BODY,
                        now),
                "does not match");
        assertRefused(
                () -> CallSignature.verify(
                        secrets,
                        ts,
                        signature,
                        "POST",
                        "/t",
                        EXECUTION,
                        "{\"cents\":6}".getBytes(StandardCharsets.UTF_8),
                        now),
                "does not match");
        assertRefused(
                () -> CallSignature.verify(
                        secrets, String.valueOf(AT + 1), signature, "POST", "/t", EXECUTION, BODY, now),
                "does not match");
        assertRefused(
                () -> CallSignature.verify(
                        secrets, ts, signature, "POST", "/t", EXECUTION, BODY, Instant.ofEpochSecond(AT + 301)),
                "more than 5 minutes");
        assertRefused(
                () -> CallSignature.verify(
                        secrets, ts, "sha256=" + signature.substring(3), "POST", "/t", EXECUTION, BODY, now),
                "does not match");
        assertRefused(
                () -> CallSignature.verify(secrets, ts, "v1=zz", "POST", "/t", EXECUTION, BODY, now), "does not match");
        assertRefused(
                () -> CallSignature.verify(secrets, "soon", signature, "POST", "/t", EXECUTION, BODY, now),
                "Unix seconds");
        assertRefused(
                () -> CallSignature.verify(secrets, null, signature, "POST", "/t", EXECUTION, BODY, now),
                "X-Baton-Timestamp is missing");
        assertRefused(
                () -> CallSignature.verify(secrets, ts, " ", "POST", "/t", EXECUTION, BODY, now),
                "X-Baton-Signature is missing");
    }

    @Test
    void a_short_secret_cannot_sign() {
        assertThatThrownBy(() -> CallSignature.sign("short", AT, "POST", "/t", List.of(), BODY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 characters");
    }

    private interface Check {
        void run() throws CallSignature.Refused;
    }

    private static void assertRefused(Check check, String reason) {
        assertThatThrownBy(check::run).isInstanceOf(CallSignature.Refused.class).hasMessageContaining(reason);
    }
}
