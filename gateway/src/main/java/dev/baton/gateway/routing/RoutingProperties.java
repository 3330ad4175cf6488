package dev.baton.gateway.routing;

import java.net.URI;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway sends each request ({@code baton.gateway.*}).
 *
 * @param upstreamHeader whether an answer names the instance that gave it in {@code X-Baton-Upstream}
 * @param upstreams where each service answers, by service name: a fixed address, or
 *        {@code lb://<service>} for its replicas in the registry (with {@code baton.discovery.url}
 *        set), each request routed by a consistent hash of its key; the routes of the gateway's
 *        {@code application.yml} read them
 */
@Validated
@ConfigurationProperties("baton.gateway")
record RoutingProperties(
        @DefaultValue("true") boolean upstreamHeader,
        @DefaultValue Map<String, URI> upstreams) {}
