package dev.baton.common.keys;

import dev.baton.common.security.ApiKeyPrincipal;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Queues an audit entry for each change made with a key, once its answer is known (Spring MVC). */
final class AuditFilter extends OncePerRequestFilter {

    private final AuditLog audit;

    AuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!AuditLog.audited(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        record(request, response);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {}

                    @Override
                    public void onError(AsyncEvent event) {}

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            } else {
                record(request, response);
            }
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response) {
        if (request.getAttribute(ApiKeyPrincipal.ATTRIBUTE) instanceof ApiKeyPrincipal caller) {
            audit.record(
                    caller,
                    request.getMethod(),
                    request.getRequestURI(),
                    response.getStatus(),
                    AuditLog.remoteAddress(request.getRemoteAddr(), request.getHeader("X-Forwarded-For")));
        }
    }
}
