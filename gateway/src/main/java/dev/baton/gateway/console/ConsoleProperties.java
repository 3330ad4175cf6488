package dev.baton.gateway.console;

import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The web console at {@code /console}.
 *
 * @param enabled whether the gateway serves the console
 * @param sessionSecret the secret that encrypts and authenticates session cookies, at least 32
 *     characters, the same on every gateway replica (a Kubernetes Secret in the chart); empty: a
 *     random one per process, so sessions end when it restarts and do not cross replicas
 * @param idleTimeout a session ends after this long without a request
 * @param maxAge a session ends this long after its sign-in, however active
 * @param apiUrl where the console calls the API with the signed-in key; empty: this gateway itself,
 *     on loopback, so every call passes the gateway's rules and the service's own
 */
@Validated
@ConfigurationProperties("baton.console")
record ConsoleProperties(
        @DefaultValue("true") boolean enabled,
        @Size(min = 32) String sessionSecret,
        @DefaultValue("30m") Duration idleTimeout,
        @DefaultValue("12h") Duration maxAge,
        URI apiUrl) {}
