package dev.baton.common.security;

import dev.baton.common.problem.Problems;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The problems that security writes itself, before any controller or exception handler runs;
 * shared by the servlet and the reactive stack so both refuse a request in the same words.
 */
final class ProblemResponder {

    /** A rendered problem: its status, extra headers and JSON body. */
    record Problem(HttpStatus status, Map<String, String> headers, byte[] body) {}

    private final JsonMapper json;

    ProblemResponder(JsonMapper json) {
        this.json = json;
    }

    Problem unauthorized(AuthenticationException ex, String path) {
        // A bad key fails with BadCredentialsException; a missing one with whatever the stack uses for "anonymous".
        String detail = ex instanceof BadCredentialsException
                ? ex.getMessage()
                : "This request needs an API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.";
        return problem(HttpStatus.UNAUTHORIZED, detail, path, Map.of("WWW-Authenticate", "Bearer"));
    }

    Problem forbidden(Authentication authentication, String method, String path) {
        String holder = authentication == null ? "presented" : "'" + authentication.getName() + "'";
        return problem(
                HttpStatus.FORBIDDEN,
                "The API key " + holder + " may not " + method + " " + path + ".",
                path,
                Map.of());
    }

    /** A 403 naming the scope the key lacks, as {@code missingScope: {kind, name}}. */
    Problem outOfScope(ScopeRules.Refusal refusal, String path) {
        Map<String, Object> members = Problems.members(HttpStatus.FORBIDDEN, refusal.detail(), path);
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("kind", refusal.kind().key());
        if (refusal.name() != null) {
            missing.put("name", refusal.name());
        }
        members.put("missingScope", missing);
        return new Problem(HttpStatus.FORBIDDEN, Map.of(), json.writeValueAsBytes(members));
    }

    Problem rejected(String path) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "The request's URL is not allowed: it holds characters or "
                        + "sequences that could bypass path checks.",
                path,
                Map.of());
    }

    Problem tooLarge(String detail, String path) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, detail, path, Map.of("Connection", "close"));
    }

    /** A problem a filter built, such as a validation problem. */
    Problem of(ProblemDetail problem, String path) {
        return new Problem(
                HttpStatus.valueOf(problem.getStatus()),
                Map.of(),
                json.writeValueAsBytes(Problems.members(problem, path)));
    }

    private Problem problem(HttpStatus status, String detail, String path, Map<String, String> headers) {
        return new Problem(status, headers, json.writeValueAsBytes(Problems.members(status, detail, path)));
    }
}
