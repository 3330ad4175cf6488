package dev.baton.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Just before the load balancer: the request's hash key and its route's settings, for {@link ConsistentHashLoadBalancer}. */
@Component
class HashKeyFilter implements GlobalFilter, Ordered {

    /** Each route's settings and the metadata they were read from: read again when a refresh changes it. */
    private record Read(Map<String, Object> metadata, HashRouting settings) {}

    private final Map<String, Read> settingsByRoute = new ConcurrentHashMap<>();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route != null) {
            HashRouting settings = settingsByRoute
                    .compute(
                            route.getId(),
                            (id, read) -> read != null && read.metadata().equals(route.getMetadata())
                                    ? read
                                    : new Read(route.getMetadata(), HashRouting.of(route)))
                    .settings();
            exchange.getAttributes().put(HashRouting.SETTINGS_ATTR, settings);
            String key = settings.keyOf(exchange.getRequest());
            if (key != null) {
                exchange.getAttributes().put(HashRouting.KEY_ATTR, key);
            }
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER - 1;
    }
}
