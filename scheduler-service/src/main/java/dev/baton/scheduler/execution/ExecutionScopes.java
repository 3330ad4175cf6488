package dev.baton.scheduler.execution;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.OutOfScopeException;
import dev.baton.common.security.ResourceKind;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every route under {@code /api/v1/executions/{id}}, reads and a worker's reports alike, reaches
 * an execution only when the key's {@code jobs} scope starts the name of the execution's job: a
 * worker's key reports only on the jobs it may touch. A key without scopes costs no read. An
 * execution that does not exist, or an id that is not one, is left to the route, which answers
 * 404 or 400.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionScopes implements WebMvcConfigurer, HandlerInterceptor {

    private final JdbcClient jdbc;

    ExecutionScopes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/executions/*", "/api/v1/executions/*/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(request.getAttribute(ApiKeyPrincipal.ATTRIBUTE) instanceof ApiKeyPrincipal caller)
                || !caller.scopes().restricted()) {
            return true;
        }
        Long id = executionId(request);
        if (id != null) {
            jdbc.sql("""
                    select j.name from execution e join job j on j.id = e.job_id where e.id = :id""")
                    .param("id", id)
                    .query(String.class)
                    .optional()
                    .ifPresent(job -> OutOfScopeException.require(caller, ResourceKind.JOBS, job));
        }
        return true;
    }

    /** The {@code {id}} of the matched route, or null when it has none or it is no number. */
    private static Long executionId(HttpServletRequest request) {
        if (!(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables)
                || !(variables.get("id") instanceof String id)) {
            return null;
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
