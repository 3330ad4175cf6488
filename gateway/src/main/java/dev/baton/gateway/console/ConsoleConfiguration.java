package dev.baton.gateway.console;

import dev.baton.common.security.ApiKeys;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The web console at {@code /console} ({@code baton.console.enabled}, on by default). Its pages
 * sign users in with a session cookie instead of a key on every request ({@link ConsoleFilter}),
 * so the API's key check does not apply to them; everything they show or change goes through the
 * API with the user's key ({@link ConsoleApi}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "baton.console.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConsoleConfiguration.class);

    /** Content-Security-Policy of the console: its own scripts and styles only, no frames. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    @Bean
    SessionCookies consoleSessionCookies(ConsoleProperties properties) {
        if (properties.sessionSecret() == null || properties.sessionSecret().isBlank()) {
            log.warn("baton.console.session-secret is not set: console sessions end when this gateway restarts and "
                    + "are not shared with other gateway replicas");
            return new SessionCookies(SessionCookies.randomSecret());
        }
        return new SessionCookies(properties.sessionSecret().getBytes(StandardCharsets.UTF_8));
    }

    @Bean
    ConsoleFilter consoleFilter(SessionCookies cookies, ApiKeys keys, ConsoleProperties properties) {
        return new ConsoleFilter(cookies, keys, properties, Clock.systemUTC());
    }

    /** Observed, so that each call is a client span whose context the services join (docs/adr/0025). */
    @Bean
    ConsoleApi consoleApi(
            ConsoleProperties properties, Environment environment, ObjectProvider<ObservationRegistry> observations) {
        return new ConsoleApi(
                WebClient.builder().observationRegistry(observations.getIfAvailable(() -> ObservationRegistry.NOOP)),
                properties,
                environment);
    }

    /**
     * Spring Security's chain for the console's paths, before the API's: no key is asked for here
     * ({@link ConsoleFilter} signs the user in), and pages get the console's security headers: its CSP,
     * and {@code Referrer-Policy: same-origin}, under which a browser sends the page's own origin on
     * the sign-in form, as the sign-in's origin check needs.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain consoleSecurityWebFilterChain(ServerHttpSecurity http) {
        return http.securityMatcher(
                        ServerWebExchangeMatchers.pathMatchers(ConsoleFilter.ROOT, ConsoleFilter.ROOT + "/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .build();
    }
}
