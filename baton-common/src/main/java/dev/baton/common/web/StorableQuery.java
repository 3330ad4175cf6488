package dev.baton.common.web;

import dev.baton.common.problem.Problems;
import dev.baton.common.text.StorableText;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with a 400 validation problem naming the parameter, a request whose query holds a
 * parameter that is not percent-encoded UTF-8 or that PostgreSQL could not store
 * ({@link StorableText}). It reads the raw query: the container would otherwise drop such a
 * parameter, or alter it, without a word.
 */
public class StorableQuery extends OncePerRequestFilter {

    /** Writes a refusal. */
    @FunctionalInterface
    public interface ProblemWriter {
        void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException;
    }

    private final ProblemWriter refused;

    public StorableQuery(ProblemWriter refused) {
        this.refused = refused;
    }

    /** The problem for a query's flawed parameter, or null when the query has none. */
    public static ProblemDetail problem(String rawQuery) {
        StorableText.Flaw flaw = StorableText.queryFlaw(rawQuery);
        return flaw == null ? null : Problems.validation("The request is invalid.",
                List.of(new Problems.FieldError(flaw.at(), flaw.reason())));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ProblemDetail problem = problem(request.getQueryString());
        if (problem != null) {
            refused.write(request, response, problem);
            return;
        }
        chain.doFilter(request, response);
    }
}
