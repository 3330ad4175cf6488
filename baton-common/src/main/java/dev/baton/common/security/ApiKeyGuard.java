package dev.baton.common.security;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.BadCredentialsException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API-key check for a request that a service answers below Spring Security (a route served
 * by the web server itself): the same keys, the same roles and the same 401 and 403 problems as
 * the security filter chain, the same scopes. Thread-safe.
 */
public final class ApiKeyGuard {

    /** The guard's answer: the caller, or the problem that refuses the request. */
    public sealed interface Verdict {}

    /** The key is known and has the role. */
    public record Allowed(ApiKeyPrincipal caller) implements Verdict {}

    /**
     * The request is refused.
     *
     * @param status 401 or 403
     * @param headers headers to add ({@code WWW-Authenticate} for a 401)
     * @param body the problem, as {@code application/problem+json}
     * @param caller the holder of the key, known for a 403, null for a 401
     */
    public record Refused(HttpStatus status, Map<String, String> headers, byte[] body, ApiKeyPrincipal caller)
            implements Verdict {}

    private final ApiKeys keys;
    private final ProblemResponder problems;

    public ApiKeyGuard(ApiKeys keys, JsonMapper json) {
        this.keys = keys;
        this.problems = new ProblemResponder(json);
    }

    /**
     * Checks the key a request carries ({@code Authorization: Bearer} or {@code X-Api-Key}) for
     * {@code role} and, by the request's method and raw path, for its scopes ({@link ScopeRules}).
     *
     * @param header the request's header of a name, or null
     */
    public Verdict check(UnaryOperator<String> header, Role role, String method, String path) {
        String presented = ApiKeys.presentedKey(
                header.apply(HttpHeaders.AUTHORIZATION), header.apply(ApiKeyAuthenticationFilter.API_KEY_HEADER));
        if (presented == null) {
            return refused(problems.unauthorized(new AuthenticationCredentialsNotFoundException("no key"), path), null);
        }
        ApiKeyPrincipal caller = keys.authenticate(presented).orElse(null);
        if (caller == null) {
            return refused(
                    problems.unauthorized(new BadCredentialsException(ApiKeyAuthenticationProvider.UNKNOWN_KEY), path),
                    null);
        }
        if (!caller.roles().contains(role)) {
            return refused(problems.forbidden(ApiKeyAuthentication.of(caller), method, path), caller);
        }
        ScopeRules.Refusal outOfScope = ScopeRules.check(caller, method, path, name -> null);
        if (outOfScope != null) {
            return refused(problems.outOfScope(outOfScope, path), caller);
        }
        return new Allowed(caller);
    }

    private static Refused refused(ProblemResponder.Problem problem, ApiKeyPrincipal caller) {
        return new Refused(problem.status(), problem.headers(), problem.body(), caller);
    }
}
