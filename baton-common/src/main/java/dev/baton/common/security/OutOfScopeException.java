package dev.baton.common.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request for a name its key's scopes do not reach, found where the name is known (a job's
 * name, read by its id): a 403 problem naming the missing scope, as {@link ScopeRules} answers.
 */
public class OutOfScopeException extends ErrorResponseException {

    public OutOfScopeException(ScopeRules.Refusal refusal) {
        super(HttpStatus.FORBIDDEN, problem(refusal), null);
    }

    /** Throws when {@code caller}'s scopes do not reach the name {@code name} of {@code kind}. */
    public static void require(ApiKeyPrincipal caller, ResourceKind kind, String name) {
        ScopeRules.Refusal refusal = ScopeRules.check(caller, kind, name);
        if (refusal != null) {
            throw new OutOfScopeException(refusal);
        }
    }

    private static ProblemDetail problem(ScopeRules.Refusal refusal) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, refusal.detail());
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("kind", refusal.kind().key());
        missing.put("name", refusal.name());
        problem.setProperty("missingScope", missing);
        return problem;
    }
}
