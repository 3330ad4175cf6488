package dev.baton.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {

    private static final byte[] SECRET = "a-console-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8);

    @Test
    void another_replica_with_the_same_secret_opens_a_session_and_none_with_another_does() {
        SessionCookies here = new SessionCookies(SECRET);
        ConsoleSession session = here.create("the-key", Instant.ofEpochMilli(1_700_000_000_123L));
        String sealed = here.seal(session);

        assertThat(new SessionCookies(SECRET).open(sealed)).contains(session);
        assertThat(new SessionCookies("another-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8))
                        .open(sealed))
                .isEmpty();
        assertThat(sealed).doesNotContain("the-key");
        assertThat(new String(Base64.getUrlDecoder().decode(sealed), StandardCharsets.ISO_8859_1))
                .doesNotContain("the-key");
    }

    @Test
    void a_changed_or_truncated_cookie_opens_to_nothing() {
        SessionCookies cookies = new SessionCookies(SECRET);
        String sealed = cookies.seal(cookies.create("the-key", Instant.now()));
        char[] changed = sealed.toCharArray();
        changed[changed.length / 2] = changed[changed.length / 2] == 'A' ? 'B' : 'A';

        assertThat(cookies.open(new String(changed))).isEmpty();
        assertThat(cookies.open(sealed.substring(0, 10))).isEmpty();
        assertThat(cookies.open("not base64 at all!")).isEmpty();
        assertThat(cookies.open("")).isEmpty();
    }

    @Test
    void the_csrf_token_belongs_to_its_session() {
        SessionCookies cookies = new SessionCookies(SECRET);
        ConsoleSession one = cookies.create("the-key", Instant.now());
        ConsoleSession other = cookies.create("the-key", Instant.now());

        assertThat(cookies.csrfValid(one, cookies.csrfToken(one))).isTrue();
        assertThat(cookies.csrfValid(one, cookies.csrfToken(other))).isFalse();
        assertThat(cookies.csrfValid(one, "")).isFalse();
        assertThat(cookies.csrfValid(one, null)).isFalse();
    }
}
