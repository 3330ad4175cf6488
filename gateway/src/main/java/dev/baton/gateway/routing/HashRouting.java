package dev.baton.gateway.routing;

import dev.baton.common.routing.HashRing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.util.UriUtils;

/**
 * How a route hashes its requests, from the route's metadata:
 *
 * <ul>
 *   <li>{@code hash-key}: {@code path:N} (the N-th segment of the path, from 0, decoded),
 *       {@code header:Name} or {@code query:name}; absent, the route is balanced round-robin;</li>
 *   <li>{@code hash-epsilon}: the bounded-loads factor, 0.25 by default;</li>
 *   <li>{@code hash-virtual-nodes}: virtual nodes per unit of weight, 256 by default.</li>
 * </ul>
 *
 * <p>A request also names its key itself with the {@code X-Baton-Hash-Key} header, which wins.
 *
 * @param key where the key comes from, or null for round-robin
 * @param epsilon the bounded-loads factor
 * @param virtualNodes virtual nodes per unit of weight
 */
record HashRouting(String key, double epsilon, int virtualNodes) {

    /** The request header that names the hash key, above the route's own rule. */
    public static final String KEY_HEADER = "X-Baton-Hash-Key";

    static final double DEFAULT_EPSILON = 0.25;

    /** Exchange attributes the load balancer reads: the key, the route's settings, the instances tried. */
    static final String KEY_ATTR = HashRouting.class.getName() + ".key";

    static final String SETTINGS_ATTR = HashRouting.class.getName() + ".settings";
    static final String TRIED_ATTR = HashRouting.class.getName() + ".tried";

    public HashRouting {
        if (key != null && !key.matches("(path:\\d{1,2}|header:[A-Za-z0-9-]{1,100}|query:[A-Za-z0-9._-]{1,100})")) {
            throw new IllegalArgumentException("hash-key must be path:N, header:Name or query:name, not " + key);
        }
        if (epsilon <= 0 || epsilon > 10) {
            throw new IllegalArgumentException("hash-epsilon must be above 0 and at most 10, not " + epsilon);
        }
        if (virtualNodes < 1 || virtualNodes > 10_000) {
            throw new IllegalArgumentException("hash-virtual-nodes must be 1 to 10000, not " + virtualNodes);
        }
    }

    /** The route's settings, from its metadata. */
    static HashRouting of(Route route) {
        return of(route.getMetadata());
    }

    /** The settings in a route's metadata. */
    static HashRouting of(Map<String, Object> metadata) {
        Object key = metadata.get("hash-key");
        Object epsilon = metadata.get("hash-epsilon");
        Object virtualNodes = metadata.get("hash-virtual-nodes");
        return new HashRouting(
                key == null ? null : key.toString(),
                epsilon == null ? DEFAULT_EPSILON : Double.parseDouble(epsilon.toString()),
                virtualNodes == null ? HashRing.DEFAULT_VIRTUAL_NODES : Integer.parseInt(virtualNodes.toString()));
    }

    /** The request's key under this rule, or null when it has none. */
    String keyOf(ServerHttpRequest request) {
        String named = request.getHeaders().getFirst(KEY_HEADER);
        if (named != null && !named.isBlank()) {
            return named;
        }
        if (key == null) {
            return null;
        }
        String source = key.substring(key.indexOf(':') + 1);
        if (key.startsWith("header:")) {
            return request.getHeaders().getFirst(source);
        }
        if (key.startsWith("query:")) {
            return request.getQueryParams().getFirst(source);
        }
        List<String> segments =
                List.of(request.getPath().value().replaceFirst("^/+", "").split("/", -1));
        int index = Integer.parseInt(source);
        if (index >= segments.size() || segments.get(index).isEmpty()) {
            return null;
        }
        return UriUtils.decode(segments.get(index), StandardCharsets.UTF_8);
    }
}
