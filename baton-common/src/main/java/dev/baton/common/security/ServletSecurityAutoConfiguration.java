package dev.baton.common.security;

import dev.baton.common.problem.DatabaseProblems;
import dev.baton.common.problem.ProblemDetailsAdvice;
import dev.baton.common.problem.ProblemErrorController;
import dev.baton.common.problem.ProblemErrorReportValve;
import dev.baton.common.web.CompletedFutureConfiguration;
import dev.baton.common.web.RequestSizeLimit;
import dev.baton.common.web.StorableQuery;
import dev.baton.common.web.WebProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * API-key security and problem details for a Baton service on Spring MVC. Every request but
 * those of {@link ApiAccessRules#OPEN_PATHS} needs a key with the role its route calls for, and
 * within the key's scopes.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration"
        })
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(WebProperties.class)
@Import({ApiKeysConfiguration.class, CompletedFutureConfiguration.class})
public class ServletSecurityAutoConfiguration {

    @Bean
    SecurityFilterChain batonSecurityFilterChain(
            HttpSecurity http, ApiKeyAuthenticationProvider provider, JsonMapper json) throws Exception {
        ProblemResponder problems = new ProblemResponder(json);
        AuthenticationEntryPoint entryPoint =
                (request, response, ex) -> write(response, problems.unauthorized(ex, request.getRequestURI()));
        AccessDeniedHandler accessDenied = (request, response, ex) -> write(
                response,
                problems.forbidden(
                        SecurityContextHolder.getContext().getAuthentication(),
                        request.getMethod(),
                        request.getRequestURI()));
        return http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
                .addFilterBefore(
                        new ApiKeyAuthenticationFilter(new ProviderManager(provider), entryPoint),
                        AuthorizationFilter.class)
                .addFilterAfter(
                        new ScopeFilter((request, response, refusal) ->
                                write(response, problems.outOfScope(refusal, request.getRequestURI()))),
                        AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // An async or error dispatch continues a request that was authorized already.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(ApiAccessRules.OPEN_PATHS)
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, ApiAccessRules.KEY_FEED)
                        .hasRole(Role.READ.name())
                        .requestMatchers(adminMatchers(ApiAccessRules.ADMIN_ROUTES))
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET)
                        .hasRole(Role.READ.name())
                        .requestMatchers(HttpMethod.HEAD)
                        .hasRole(Role.READ.name())
                        .requestMatchers(ApiAccessRules.ACTUATOR)
                        .hasRole(Role.ADMIN.name())
                        .anyRequest()
                        .hasRole(Role.WRITE.name()))
                .build();
    }

    private static RequestMatcher[] adminMatchers(List<AdminRoute> routes) {
        return routes.stream()
                .map(route -> PathPatternRequestMatcher.withDefaults().matcher(route.method(), route.pattern()))
                .toArray(RequestMatcher[]::new);
    }

    /**
     * Names may contain a percent-encoded '/', which Spring Security and Tomcat refuse by default.
     * Tomcat passes it through undecoded, so the servlet path holds a literal '%' as well. Paths
     * are matched on their encoded form, where an encoded '/' stays inside its segment.
     */
    @Bean
    WebSecurityCustomizer encodedSlashFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        firewall.setAllowUrlEncodedPercent(true);
        return web -> web.httpFirewall(firewall);
    }

    private static void write(HttpServletResponse response, ProblemResponder.Problem problem) throws IOException {
        response.setStatus(problem.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        problem.headers().forEach(response::setHeader);
        response.getOutputStream().write(problem.body());
    }

    @Bean
    ProblemDetailsAdvice problemDetailsAdvice() {
        return new ProblemDetailsAdvice();
    }

    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    /** Bodies over {@code baton.web.max-request-size} are refused with 413, before security reads anything. */
    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(WebProperties web, JsonMapper json) {
        ProblemResponder problems = new ProblemResponder(json);
        FilterRegistrationBean<RequestSizeLimit> registration = new FilterRegistrationBean<>(new RequestSizeLimit(
                web.maxRequestSize().toBytes(),
                (request, response, detail) -> write(response, problems.tooLarge(detail, request.getRequestURI()))));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * A query parameter that is not UTF-8 text PostgreSQL can store is refused with 400, before
     * security reads anything and before the container drops or alters it.
     */
    @Bean
    FilterRegistrationBean<StorableQuery> storableQuery(JsonMapper json) {
        ProblemResponder problems = new ProblemResponder(json);
        FilterRegistrationBean<StorableQuery> registration = new FilterRegistrationBean<>(new StorableQuery(
                (request, response, problem) -> write(response, problems.of(problem, request.getRequestURI()))));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.dao.DataAccessResourceFailureException")
    static class DatabaseConfiguration {

        @Bean
        DatabaseProblems databaseProblems() {
            return new DatabaseProblems();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.valves.ErrorReportValve")
    static class TomcatConfiguration {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashInPaths() {
            return factory -> factory.addConnectorCustomizers(
                    connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
        }
    }
}
