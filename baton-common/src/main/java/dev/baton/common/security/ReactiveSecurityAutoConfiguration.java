package dev.baton.common.security;

import dev.baton.common.problem.DatabaseProblems;
import dev.baton.common.problem.ProblemErrorWebExceptionHandler;
import dev.baton.common.problem.ReactiveProblemDetailsAdvice;
import dev.baton.common.web.NettyDecodingFailures;
import dev.baton.common.web.ReactiveRequestSizeLimit;
import dev.baton.common.web.ReactiveStorableQuery;
import dev.baton.common.web.WebProperties;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * API-key security and problem details for a Baton service on WebFlux (lock-service and the
 * gateway), with the same rules, the same scopes and the same problems as
 * {@link ServletSecurityAutoConfiguration}.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration"
        })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@EnableConfigurationProperties(WebProperties.class)
@Import(ApiKeysConfiguration.class)
public class ReactiveSecurityAutoConfiguration {

    @Bean
    ReactiveAuthenticationManager apiKeyAuthenticationManager(ApiKeyAuthenticationProvider provider) {
        return authentication -> Mono.fromCallable(() -> provider.authenticate(authentication));
    }

    @Bean
    SecurityWebFilterChain batonSecurityWebFilterChain(
            ServerHttpSecurity http, ReactiveAuthenticationManager authenticationManager, JsonMapper json) {
        ProblemResponder problems = new ProblemResponder(json);
        ServerAuthenticationEntryPoint entryPoint = (exchange, ex) -> write(
                exchange,
                problems.unauthorized(ex, exchange.getRequest().getPath().value()));
        ServerAccessDeniedHandler accessDenied = (exchange, ex) -> exchange.getPrincipal()
                .cast(Authentication.class)
                .map(authentication -> problems.forbidden(
                        authentication,
                        exchange.getRequest().getMethod().name(),
                        exchange.getRequest().getPath().value()))
                .flatMap(problem -> write(exchange, problem));

        AuthenticationWebFilter apiKeyFilter = new AuthenticationWebFilter(authenticationManager);
        apiKeyFilter.setServerAuthenticationConverter(exchange -> {
            HttpHeaders headers = exchange.getRequest().getHeaders();
            return Mono.justOrEmpty(ApiKeys.presentedKey(
                            headers.getFirst(HttpHeaders.AUTHORIZATION),
                            headers.getFirst(ApiKeyAuthenticationFilter.API_KEY_HEADER)))
                    .map(ApiKeyAuthentication::presented);
        });
        apiKeyFilter.setAuthenticationSuccessHandler((filterExchange, authentication) -> {
            filterExchange.getExchange().getAttributes().put(ApiKeyPrincipal.ATTRIBUTE, authentication.getPrincipal());
            return filterExchange.getChain().filter(filterExchange.getExchange());
        });
        apiKeyFilter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        apiKeyFilter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());

        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
                .addFilterAt(apiKeyFilter, SecurityWebFiltersOrder.AUTHENTICATION)
                .addFilterAfter(scopeFilter(problems), SecurityWebFiltersOrder.AUTHORIZATION)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(ApiAccessRules.OPEN_PATHS)
                        .permitAll()
                        .pathMatchers(HttpMethod.GET, ApiAccessRules.KEY_FEED)
                        .hasRole(Role.READ.name())
                        .matchers(adminMatchers(ApiAccessRules.ADMIN_ROUTES))
                        .hasRole(Role.ADMIN.name())
                        .pathMatchers(HttpMethod.GET)
                        .hasRole(Role.READ.name())
                        .pathMatchers(HttpMethod.HEAD)
                        .hasRole(Role.READ.name())
                        .pathMatchers(ApiAccessRules.ACTUATOR)
                        .hasRole(Role.ADMIN.name())
                        .anyExchange()
                        .hasRole(Role.WRITE.name()))
                .build();
    }

    /** Refuses, after the role check, a request outside its key's scopes ({@link ScopeRules}). */
    private static WebFilter scopeFilter(ProblemResponder problems) {
        return (exchange, chain) -> exchange.getPrincipal()
                .filter(principal -> principal instanceof Authentication authentication
                        && authentication.getPrincipal() instanceof ApiKeyPrincipal)
                .map(principal -> (ApiKeyPrincipal) ((Authentication) principal).getPrincipal())
                .mapNotNull(caller -> ScopeRules.check(
                        caller,
                        exchange.getRequest().getMethod().name(),
                        exchange.getRequest().getPath().value(),
                        exchange.getRequest().getQueryParams()::getFirst))
                .flatMap(refusal -> write(
                                exchange,
                                problems.outOfScope(
                                        refusal, exchange.getRequest().getPath().value()))
                        .thenReturn(true))
                .switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(false)))
                .then();
    }

    private static ServerWebExchangeMatcher[] adminMatchers(List<AdminRoute> routes) {
        return routes.stream()
                .map(route -> ServerWebExchangeMatchers.pathMatchers(route.method(), route.pattern()))
                .toArray(ServerWebExchangeMatcher[]::new);
    }

    /** Bodies over {@code baton.web.max-request-size} are refused with 413, before security reads anything. */
    @Bean
    ReactiveRequestSizeLimit requestSizeLimit(WebProperties web, JsonMapper json) {
        return new ReactiveRequestSizeLimit(web.maxRequestSize(), json);
    }

    /** A query parameter that is not UTF-8 text PostgreSQL can store is refused with 400, before security reads anything. */
    @Bean
    ReactiveStorableQuery storableQuery(JsonMapper json) {
        return new ReactiveStorableQuery(json);
    }

    /** What Netty's HTTP decoder refuses (414, 431, 400) is answered as a problem too. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.netty.http.server.HttpServer")
    static class NettyConfiguration {

        @Bean
        NettyServerCustomizer problemsForDecodingFailures(JsonMapper json) {
            return server -> NettyDecodingFailures.install(server, json);
        }
    }

    /**
     * Problems for what a service's controllers throw and for errors met before one runs. The
     * gateway, whose routes are not controllers, answers its errors itself.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.cloud.gateway.filter.GatewayFilter")
    static class ServiceProblemsConfiguration {

        @Bean
        ReactiveProblemDetailsAdvice problemDetailsAdvice() {
            return new ReactiveProblemDetailsAdvice();
        }

        @Bean
        ProblemErrorWebExceptionHandler problemErrorWebExceptionHandler(JsonMapper json) {
            return new ProblemErrorWebExceptionHandler(json);
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.dao.DataAccessResourceFailureException")
        DatabaseProblems databaseProblems() {
            return new DatabaseProblems();
        }
    }

    /** Names may contain a percent-encoded '/', which Spring Security refuses by default. */
    @Bean
    ServerWebExchangeFirewall encodedSlashFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowUrlEncodedSlash(true);
        return firewall;
    }

    @Bean
    ServerExchangeRejectedHandler problemForRejectedExchange(JsonMapper json) {
        ProblemResponder problems = new ProblemResponder(json);
        return (exchange, ex) -> write(
                exchange, problems.rejected(exchange.getRequest().getPath().value()));
    }

    private static Mono<Void> write(ServerWebExchange exchange, ProblemResponder.Problem problem) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(problem.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        problem.headers().forEach(response.getHeaders()::set);
        DataBuffer body = response.bufferFactory().wrap(problem.body());
        return response.writeWith(Mono.just(body));
    }
}
