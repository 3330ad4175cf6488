package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ApiKeys;
import dev.baton.common.security.Role;
import dev.baton.common.security.Scopes;
import dev.baton.test.CollectedSpans;
import dev.baton.test.TestHttp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Console sessions over real HTTP, with a stand-in upstream that records what the console's
 * calls carry: a sealed cookie, the user's own key on every call, the CSRF token on every change,
 * and the end of a session when it idles or its key is revoked.
 */
@TestPropertySource(properties = "baton.console.idle-timeout=3s")
class ConsoleSessionTest extends RecordingUpstreamTest {

    private static final String KEY = "console-key-0123456789abcdef";
    private static final Pattern COOKIE = Pattern.compile("BATON_CONSOLE=([^;]*)");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([0-9a-f]+)\"");

    @BeforeEach
    void runtimeKey() {
        keys.replaceRuntimeKeys(Map.of(
                ApiKeys.sha256(KEY),
                new ApiKeyPrincipal("console-user", Role.ADMIN.withImplied(), Scopes.ALL, UUID.randomUUID(), null)));
    }

    @Test
    void signing_in_sets_an_http_only_strict_cookie_for_the_console_that_is_secure_behind_tls() {
        TestHttp.Response plain = signIn(KEY, false);
        assertThat(plain.status()).isEqualTo(303);
        String cookie = plain.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict", "Path=/console")
                .doesNotContain("Secure");
        assertThat(cookie).doesNotContain(KEY);

        String behindTls = signIn(KEY, true).headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(behindTls).contains("Secure");

        TestHttp.Response refused = signIn("not-a-key", false);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void a_sign_in_sent_from_another_origin_is_a_403_problem_and_from_the_consoles_own_starts_a_session() {
        TestHttp.Response page = http.get("/console/sign-in", null);
        assertThat(page.header("Referrer-Policy")).isEqualTo("same-origin");

        TestHttp.Response own = signInFrom("http://localhost:" + port);
        assertThat(own.status()).isEqualTo(303);
        assertThat(own.headers().firstValue("Set-Cookie")).isPresent();

        for (String origin : new String[] {
            "https://attacker.example", "null", "http://localhost:" + (port + 1), "http://localhost.attacker.example"
        }) {
            TestHttp.Response foreign = signInFrom(origin);
            assertThat(foreign.status()).as(origin).isEqualTo(403);
            assertThat(foreign.contentType()).as(origin).startsWith("application/problem+json");
            assertThat(foreign.json().path("type").asString()).isEqualTo("urn:baton:problem:cross-origin-sign-in");
            assertThat(foreign.headers().firstValue("Set-Cookie")).as(origin).isEmpty();
        }
    }

    @Test
    void every_call_of_the_console_carries_the_signed_in_key() {
        String cookie = cookie(signIn(KEY, false));
        TestHttp.Response overview = page("/console", cookie);
        assertThat(overview.status()).as(overview.body()).isEqualTo(200);
        assertThat(upstream.seen())
                .isNotEmpty()
                .allSatisfy(call -> assertThat(call).endsWith("Bearer " + KEY))
                .contains("GET /api/v1/registry/services Bearer " + KEY);
    }

    @Test
    void a_pages_calls_go_on_with_the_trace_of_the_page_request() {
        String cookie = cookie(signIn(KEY, false));
        String traceId = CollectedSpans.traceId();
        TestHttp.Response overview = http.send(http.request("/console")
                .header("Cookie", "BATON_CONSOLE=" + cookie)
                .header("traceparent", CollectedSpans.traceparent(traceId, CollectedSpans.spanId()))
                .GET()
                .build());

        assertThat(overview.status()).isEqualTo(200);
        assertThat(upstream.traceparent("GET /api/v1/registry/services")).startsWith("00-" + traceId + "-");
    }

    @Test
    void a_change_needs_the_session_csrf_token() {
        String cookie = cookie(signIn(KEY, false));
        String token = csrf(page("/console", cookie));
        upstream.seen().clear();

        TestHttp.Response without = post("/console/locks/resource/force-release?name=orders", cookie, null);
        assertThat(without.status()).isEqualTo(403);
        assertThat(without.contentType()).startsWith("application/problem+json");
        TestHttp.Response wrong = post("/console/locks/resource/force-release?name=orders", cookie, "0".repeat(64));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(upstream.seen()).isEmpty();

        post("/console/locks/resource/force-release?name=orders", cookie, token);
        assertThat(upstream.seen()).contains("DELETE /api/v1/locks/orders Bearer " + KEY);
    }

    @Test
    void a_revoked_key_ends_its_session() {
        String cookie = cookie(signIn(KEY, false));
        assertThat(page("/console", cookie).status()).isEqualTo(200);

        keys.replaceRuntimeKeys(Map.of());
        TestHttp.Response after = page("/console", cookie);
        assertThat(after.status()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).contains("/console/sign-in");
        assertThat(after.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    }

    @Test
    void a_session_idle_past_its_timeout_ends_and_an_active_one_does_not() throws InterruptedException {
        String idle = cookie(signIn(KEY, false));
        String active = cookie(signIn(KEY, false));
        for (int i = 0; i < 9; i++) {
            Thread.sleep(400);
            TestHttp.Response seen = page("/console", active);
            assertThat(seen.status()).isEqualTo(200);
            active = seen.headers()
                    .firstValue("Set-Cookie")
                    .map(ConsoleSessionTest::value)
                    .orElse(active);
        }
        assertThat(page("/console", active).status()).isEqualTo(200);
        assertThat(page("/console", idle).status()).isEqualTo(303);
    }

    @Test
    void a_live_page_on_a_path_that_is_no_blocking_query_asks_it_once() throws Exception {
        String cookie = cookie(signIn(KEY, false));
        upstream.seen().clear();
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
                .send(
                        http.request("/console/live?watch=/api/v1/jobs")
                                .header("Cookie", "BATON_CONSOLE=" + cookie)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        try (Stream<String> lines = stream.body()) {
            assertThat(lines.findFirst()).contains(":watching");
            Thread.sleep(1_500);
        }
        assertThat(upstream.seen()).containsExactly("GET /api/v1/jobs Bearer " + KEY);
    }

    @Test
    void a_changed_cookie_is_no_session() {
        String cookie = cookie(signIn(KEY, false));
        char[] changed = cookie.toCharArray();
        changed[changed.length / 2] = changed[changed.length / 2] == 'A' ? 'B' : 'A';
        assertThat(page("/console", new String(changed)).status()).isEqualTo(303);
        assertThat(upstream.seen()).isEmpty();
    }

    private TestHttp.Response signIn(String key, boolean behindTls) {
        HttpRequest.Builder request = http.request("/console/sign-in")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + key));
        if (behindTls) {
            request.header("X-Forwarded-Proto", "https");
        }
        return http.send(request.build());
    }

    private TestHttp.Response signInFrom(String origin) {
        return http.send(http.request("/console/sign-in")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("key=" + KEY))
                .build());
    }

    private TestHttp.Response page(String path, String cookie) {
        return http.send(http.request(path)
                .header("Cookie", "BATON_CONSOLE=" + cookie)
                .GET()
                .build());
    }

    private TestHttp.Response post(String path, String cookie, String token) {
        HttpRequest.Builder request = http.request(path)
                .header("Cookie", "BATON_CONSOLE=" + cookie)
                .header("Accept", "application/problem+json")
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("X-CSRF-Token", token);
        }
        return http.send(request.build());
    }

    private static String cookie(TestHttp.Response signedIn) {
        return value(signedIn.headers().firstValue("Set-Cookie").orElseThrow());
    }

    private static String value(String setCookie) {
        Matcher matcher = COOKIE.matcher(setCookie);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private static String csrf(TestHttp.Response page) {
        Matcher matcher = CSRF.matcher(page.body());
        assertThat(matcher.find()).as(page.body()).isTrue();
        return matcher.group(1);
    }
}
