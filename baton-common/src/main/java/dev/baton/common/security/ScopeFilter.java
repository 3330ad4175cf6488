package dev.baton.common.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Refuses, after the role check, a request outside its key's scopes ({@link ScopeRules}). */
final class ScopeFilter extends OncePerRequestFilter {

    /** Writes the 403 for a refusal. */
    @FunctionalInterface
    interface Refuser {
        void refuse(HttpServletRequest request, HttpServletResponse response, ScopeRules.Refusal refusal)
                throws IOException;
    }

    private final Refuser refuser;

    ScopeFilter(Refuser refuser) {
        this.refuser = refuser;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ApiKeyPrincipal caller) {
            ScopeRules.Refusal refusal =
                    ScopeRules.check(caller, request.getMethod(), request.getRequestURI(), request::getParameter);
            if (refusal != null) {
                refuser.refuse(request, response, refusal);
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
