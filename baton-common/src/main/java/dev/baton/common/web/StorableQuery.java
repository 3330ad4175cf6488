package dev.baton.common.web;

import dev.baton.common.text.StorableText;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ProblemDetail problem = QueryText.problem(request.getQueryString());
        if (problem != null) {
            refused.write(request, response, problem);
            return;
        }
        chain.doFilter(request, response);
    }
}
