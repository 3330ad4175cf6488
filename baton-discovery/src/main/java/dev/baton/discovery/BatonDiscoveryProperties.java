package dev.baton.discovery;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Baton's registry is and how this application registers with it
 * ({@code baton.discovery.*}; as environment variables {@code BATON_DISCOVERY_URL} and so on).
 * Nothing is configured until {@code url} is set.
 *
 * @param url the registry's base URL, or the gateway's, such as {@code http://baton-gateway:8080}
 * @param apiKey an API key with the WRITE role (READ is enough to discover without registering)
 * @param register whether this application registers itself
 * @param serviceName the name it registers under; {@code spring.application.name} when not set
 * @param instanceId its instance id; {@code <service>-<host>-<port>} when not set
 * @param host the host others reach it at; this machine's address when not set
 * @param port the port others reach it at; the web server's when not set
 * @param secure whether it answers over TLS
 * @param zone its zone, for zone-aware balancing
 * @param weight its share of traffic relative to its peers, 1 to 1000
 * @param metadata free key/values registered with it
 * @param ttl its lease: it is dropped from lists when no heartbeat arrives within it
 * @param heartbeatInterval how often it heartbeats: well within the TTL
 * @param requestTimeout how long a request to the registry may take
 */
@ConfigurationProperties("baton.discovery")
public record BatonDiscoveryProperties(
        String url,
        String apiKey,
        @DefaultValue("true") boolean register,
        String serviceName,
        String instanceId,
        String host,
        Integer port,
        boolean secure,
        String zone,
        @DefaultValue("1") int weight,
        @DefaultValue Map<String, String> metadata,
        @DefaultValue("15s") Duration ttl,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue("5s") Duration requestTimeout) {}
