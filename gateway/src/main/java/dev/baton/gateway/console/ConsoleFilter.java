package dev.baton.gateway.console;

import dev.baton.common.security.ApiKeys;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signs console requests in from their session cookie. A request without a valid session (none,
 * sealed with another secret, idle past {@code idle-timeout}, older than {@code max-age}, or whose
 * key is revoked or expired) is sent to the sign-in page. A change ({@code POST}, {@code PUT},
 * {@code PATCH}, {@code DELETE}) must carry the session's CSRF token, as the {@code X-CSRF-Token}
 * header or the {@code _csrf} form field, else it is refused with 403.
 *
 * <p>Signing in needs no session, so it has no token: a form another site's page sends there
 * would sign the browser in with a key of that site's choosing (login CSRF). A sign-in whose
 * {@code Origin} is another host's, or {@code null} (a sandboxed frame, a {@code data:} page), is
 * refused with 403. The console's pages are sent with {@code Referrer-Policy: same-origin}, under
 * which browsers send their own origin on the console's sign-in form; a request with no
 * {@code Origin} at all comes from no browser's cross-site form, and is let through.
 */
final class ConsoleFilter implements WebFilter, Ordered {

    static final String COOKIE = "BATON_CONSOLE";
    static final String ROOT = "/console";
    static final String SIGN_IN = ROOT + "/sign-in";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_FIELD = "_csrf";

    /**
     * A session's cookie is sealed again when its last request is older than this, or than a
     * quarter of the idle timeout when that is shorter.
     */
    private static final Duration SEEN_GRANULARITY = Duration.ofMinutes(1);

    private final SessionCookies cookies;
    private final ApiKeys keys;
    private final ConsoleProperties properties;
    private final Clock clock;

    ConsoleFilter(SessionCookies cookies, ApiKeys keys, ConsoleProperties properties, Clock clock) {
        this.cookies = cookies;
        this.keys = keys;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals(ROOT) && !path.startsWith(ROOT + "/")) {
            return chain.filter(exchange);
        }
        if (path.equals(SIGN_IN) && exchange.getRequest().getMethod() == HttpMethod.POST) {
            return sameOrigin(exchange.getRequest())
                    ? chain.filter(exchange)
                    : refuse(
                            exchange,
                            "urn:baton:problem:cross-origin-sign-in",
                            "Sign in from the console's own page: this form came from another origin.");
        }
        if (path.equals(SIGN_IN) || path.startsWith(ROOT + "/assets/")) {
            return chain.filter(exchange);
        }
        Instant now = clock.instant();
        Optional<ConsoleUser> user = signedIn(exchange.getRequest(), now);
        if (user.isEmpty()) {
            clear(exchange);
            return toSignIn(exchange);
        }
        ConsoleSession session = user.get().session();
        Duration granularity = properties.idleTimeout().dividedBy(4).compareTo(SEEN_GRANULARITY) < 0
                ? properties.idleTimeout().dividedBy(4)
                : SEEN_GRANULARITY;
        if (Duration.between(session.seenAt(), now).compareTo(granularity) >= 0) {
            set(exchange, cookies.seal(session.seen(now)));
        }
        exchange.getAttributes().put(ConsoleUser.ATTRIBUTE, user.get());
        if (!changes(exchange.getRequest().getMethod())) {
            return chain.filter(exchange);
        }
        return presentedToken(exchange)
                .defaultIfEmpty("")
                .flatMap(token -> cookies.csrfValid(session, token)
                        ? chain.filter(exchange)
                        : refuse(
                                exchange,
                                "urn:baton:problem:csrf",
                                "A change from the console must carry its session's CSRF token: reload the page."));
    }

    /**
     * Whether a request has no {@code Origin}, or one whose host and port are the {@code Host} it
     * was sent to; a port left out is its scheme's default on both sides.
     */
    private static boolean sameOrigin(ServerHttpRequest request) {
        String origin = request.getHeaders().getOrigin();
        if (origin == null) {
            return true;
        }
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI from = new URI(origin);
            URI to = new URI(from.getScheme() + "://" + host);
            return from.getHost() != null && from.getHost().equalsIgnoreCase(to.getHost()) && port(from) == port(to);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private Optional<ConsoleUser> signedIn(ServerHttpRequest request, Instant now) {
        HttpCookie cookie = request.getCookies().getFirst(COOKIE);
        if (cookie == null) {
            return Optional.empty();
        }
        return cookies.open(cookie.getValue())
                .filter(session ->
                        session.seenAt().plus(properties.idleTimeout()).isAfter(now))
                .filter(session ->
                        session.signedInAt().plus(properties.maxAge()).isAfter(now))
                .flatMap(session -> keys.authenticate(session.key())
                        .map(principal -> new ConsoleUser(principal, session, cookies.csrfToken(session))));
    }

    private static boolean changes(HttpMethod method) {
        return method == HttpMethod.POST
                || method == HttpMethod.PUT
                || method == HttpMethod.PATCH
                || method == HttpMethod.DELETE;
    }

    private static Mono<String> presentedToken(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(CSRF_HEADER);
        if (header != null) {
            return Mono.just(header);
        }
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
            return exchange.getFormData().mapNotNull(form -> form.getFirst(CSRF_FIELD));
        }
        if (type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type)) {
            return exchange.getMultipartData()
                    .mapNotNull(
                            parts -> parts.getFirst(CSRF_FIELD) instanceof FormFieldPart field ? field.value() : null);
        }
        return Mono.empty();
    }

    /** A 403 problem of {@code type}, answered before the request's body was read. */
    private static Mono<Void> refuse(ServerWebExchange exchange, String type, String detail) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.FORBIDDEN);
        // Answered before its body was read: the connection is not used again.
        response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        ObjectNode problem = JsonNodeFactory.instance.objectNode();
        problem.put("type", type);
        problem.put("title", "Forbidden");
        problem.put("status", 403);
        problem.put("detail", detail);
        byte[] body = problem.toString().getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** A page is sent to the sign-in page; a request of htmx is answered 401 and told to go there. */
    static Mono<Void> toSignIn(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        // Answered before its body was read: the connection is not used again.
        response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        if (exchange.getRequest().getHeaders().containsHeader("HX-Request")) {
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            response.getHeaders().set("HX-Redirect", SIGN_IN);
        } else {
            response.setStatusCode(HttpStatus.SEE_OTHER);
            response.getHeaders().setLocation(URI.create(SIGN_IN));
        }
        return response.setComplete();
    }

    void set(ServerWebExchange exchange, String value) {
        exchange.getResponse().addCookie(cookie(exchange, value).build());
    }

    void clear(ServerWebExchange exchange) {
        if (exchange.getRequest().getCookies().containsKey(COOKIE)) {
            exchange.getResponse().addCookie(cookie(exchange, "").maxAge(0).build());
        }
    }

    /** HttpOnly, SameSite=Strict, for the console's paths only, and Secure when the request came over TLS. */
    private static ResponseCookie.ResponseCookieBuilder cookie(ServerWebExchange exchange, String value) {
        ServerHttpRequest request = exchange.getRequest();
        boolean tls = request.getSslInfo() != null
                || "https".equalsIgnoreCase(request.getHeaders().getFirst("X-Forwarded-Proto"));
        return ResponseCookie.from(COOKIE, value)
                .httpOnly(true)
                .secure(tls)
                .sameSite("Strict")
                .path(ROOT);
    }
}
