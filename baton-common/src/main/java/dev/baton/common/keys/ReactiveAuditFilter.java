package dev.baton.common.keys;

import dev.baton.common.security.ApiKeyPrincipal;
import java.net.InetSocketAddress;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Queues an audit entry for each change made with a key, once its answer is known (WebFlux). */
final class ReactiveAuditFilter implements WebFilter, Ordered {

    private final AuditLog audit;

    ReactiveAuditFilter(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!AuditLog.audited(request.getMethod().name())) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).doFinally(signal -> {
            if (exchange.getAttribute(ApiKeyPrincipal.ATTRIBUTE) instanceof ApiKeyPrincipal caller) {
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                InetSocketAddress peer = request.getRemoteAddress();
                audit.record(
                        caller,
                        request.getMethod().name(),
                        request.getPath().value(),
                        status == null ? 200 : status.value(),
                        AuditLog.remoteAddress(
                                peer == null ? null : peer.getAddress().getHostAddress(),
                                request.getHeaders().getFirst("X-Forwarded-For")));
            }
        });
    }

    /** Around Spring Security's filters, so that its refusals are recorded too. */
    @Override
    public int getOrder() {
        return -200;
    }
}
