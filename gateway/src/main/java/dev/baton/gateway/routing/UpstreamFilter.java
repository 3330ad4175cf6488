package dev.baton.gateway.routing;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.ReactiveLoadBalancerClientFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Just after the load balancer: the instance chosen is counted in flight until the exchange
 * ends, remembered as tried (a retry after a refused connection goes elsewhere), counted in the
 * metric {@code baton.gateway.upstream.requests} (each attempt, by service and instance), and
 * named in {@code X-Baton-Upstream} (off with {@code baton.gateway.upstream-header=false}); a
 * route to a fixed address names its host and port.
 */
@Component
class UpstreamFilter implements GlobalFilter, Ordered {

    /** The response header naming the instance that answered. */
    static final String UPSTREAM_HEADER = "X-Baton-Upstream";

    private final InFlight inFlight;
    private final boolean upstreamHeader;

    UpstreamFilter(InFlight inFlight, RoutingProperties routing) {
        this.inFlight = inFlight;
        this.upstreamHeader = routing.upstreamHeader();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Response<ServiceInstance> chosen =
                exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_LOADBALANCER_RESPONSE_ATTR);
        URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        ServiceInstance instance = chosen == null || !chosen.hasServer() ? null : chosen.getServer();
        if (upstreamHeader && (instance != null || target != null)) {
            String upstream = instance != null ? instance.getInstanceId() : target.getHost() + ":" + target.getPort();
            exchange.getResponse().getHeaders().set(UPSTREAM_HEADER, upstream);
        }
        if (instance == null) {
            return chain.filter(exchange);
        }
        Set<String> tried = exchange.getAttribute(HashRouting.TRIED_ATTR);
        if (tried == null) {
            tried = new LinkedHashSet<>();
            exchange.getAttributes().put(HashRouting.TRIED_ATTR, tried);
        }
        tried.add(instance.getInstanceId());
        inFlight.started(instance);
        return chain.filter(exchange).doFinally(signal -> inFlight.finished(instance));
    }

    @Override
    public int getOrder() {
        return ReactiveLoadBalancerClientFilter.LOAD_BALANCER_CLIENT_FILTER_ORDER + 1;
    }
}
