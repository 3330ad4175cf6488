package dev.baton.gateway.routing;

import dev.baton.common.problem.Problems;
import dev.baton.common.security.ApiKeyGuard;
import dev.baton.common.security.Role;
import dev.baton.common.tracing.Spans;
import dev.baton.common.web.NettyExchange;
import dev.baton.common.web.NettyExchange.Answer;
import dev.baton.common.web.ResourceName;
import dev.baton.common.web.ResourceNames;
import dev.baton.common.web.WebProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls a lease holder makes through the gateway (acquire, renew and release of locks,
 * semaphores and elections) proxied by Reactor Netty's own routes and client, below Spring Cloud
 * Gateway's filter chain (docs/adr/0013). The rules are the lock-service route's: the same API
 * key check (WRITE), the same consistent hash of the name under bounded loads
 * ({@link ConsistentHashLoadBalancer}, with the route's {@code hash-*} metadata), the same
 * failover past a replica that refuses the connection (and past one that fails in flight, for
 * calls safe to repeat), the same {@code X-Baton-Upstream} header,
 * the same metrics, and a problem for every failure. Everything else lock-service serves goes
 * through the route.
 *
 * <p>Each call is one span, named as WebFlux names the spans of the route's requests
 * ({@code http post /api/v1/locks/{name}/leases}): the child of the caller's span when the request
 * carries a {@code traceparent}, and the parent of lock-service's span, which gets this span's
 * context in place of the caller's (docs/adr/0025).
 */
@Component
class LeaseProxy implements NettyRouteProvider {

    private static final Logger log = LoggerFactory.getLogger(LeaseProxy.class);

    /** The route whose upstream and hash settings the lease calls share. */
    static final String ROUTE = "lock-service";

    /**
     * Replicas tried after the first fails: one that refuses the connection, as the route's Retry
     * filter does, or one that cuts off a request safe to repeat.
     */
    private static final int RETRIES = 2;

    /** How long after a call arrived another replica may still take it, when no response timeout is set. */
    private static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(6);

    /** Headers of one connection only (RFC 9110, 7.6.1), and those the client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length");

    private final ApiKeyGuard guard;
    private final HttpClient client;
    private final LoadBalancerClientFactory balancers;
    private final InFlight inFlight;
    private final NettyExchange.Timers timers;
    private final Spans spans;
    private final Set<String> notForwarded;
    private final JsonMapper json;
    private final URI upstream;
    private final HashRouting settings;
    private final boolean upstreamHeader;
    private final long maxBody;
    private final Duration responseTimeout;

    LeaseProxy(
            ApiKeyGuard guard,
            HttpClient client,
            HttpClientProperties clientProperties,
            GatewayProperties gateway,
            LoadBalancerClientFactory balancers,
            InFlight inFlight,
            MeterRegistry meters,
            Spans spans,
            JsonMapper json,
            RoutingProperties routing,
            WebProperties web) {
        RouteDefinition route = gateway.getRoutes().stream()
                .filter(definition -> ROUTE.equals(definition.getId()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The gateway has no route " + ROUTE));
        this.guard = guard;
        this.client = clientProperties.getResponseTimeout() == null
                ? client
                : client.responseTimeout(clientProperties.getResponseTimeout());
        this.responseTimeout = clientProperties.getResponseTimeout() == null
                ? DEFAULT_DEADLINE
                : clientProperties.getResponseTimeout();
        this.balancers = balancers;
        this.inFlight = inFlight;
        this.timers = new NettyExchange.Timers(meters);
        this.spans = spans;
        this.notForwarded = Stream.concat(NOT_FORWARDED.stream(), spans.fields().stream())
                .map(header -> header.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.json = json;
        this.upstream = route.getUri();
        this.settings = HashRouting.of(route.getMetadata());
        this.upstreamHeader = routing.upstreamHeader();
        this.maxBody = web.maxRequestSize().toBytes();
    }

    /** Where one attempt goes: a replica from the registry, or the route's fixed address. */
    private record Target(ServiceInstance instance, String base) {

        String name() {
            return instance != null ? instance.getInstanceId() : base.substring(base.indexOf("//") + 2);
        }
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        for (String kind : List.of("locks", "semaphores", "elections")) {
            String base = "/api/v1/" + kind;
            String acquire = base + (kind.equals("elections") ? "/{name}/campaign" : "/{name}/leases");
            String lease = base + "/{name}/leases/{leaseId}";
            routes.post(acquire, (request, response) -> serve(request, response, acquire, "http post " + acquire))
                    .put(lease, (request, response) -> serve(request, response, lease, "http put " + lease))
                    .delete(lease, (request, response) -> serve(request, response, lease, "http delete " + lease));
        }
        return routes;
    }

    /** Checks, forwards, answers, times and traces one call; {@code spanName} names its span. */
    private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, String template, String spanName) {
        long started = System.nanoTime();
        String method = request.method().name();
        String path = NettyExchange.path(request);
        Span span = spans.serve(spanName, request.requestHeaders()::get);
        if (!span.isNoop()) {
            span.tag("http.request.method", method).tag("http.route", template);
        }
        String[] exception = {"none"};
        Throwable[] failure = {null};
        NettyExchange.RequestBody body = new NettyExchange.RequestBody(request, maxBody);
        return Mono.defer(() -> forward(request, body, path, span))
                .onErrorResume(error -> {
                    exception[0] = error.getClass().getSimpleName();
                    failure[0] = error;
                    try (var scope = spans.inScope(span)) {
                        return Mono.just(problem(error, request, path));
                    }
                })
                .flatMap(body::before)
                .flatMap(answer -> NettyExchange.write(response, answer).doOnSuccess(done -> {
                    timers.record(template, method, answer.status(), exception[0], started);
                    Spans.end(span, answer.status(), failure[0]);
                }))
                .doOnCancel(() -> {
                    timers.record(template, method, 0, exception[0], started);
                    Spans.end(span, 0, failure[0]);
                });
    }

    private Mono<Answer> forward(HttpServerRequest request, NettyExchange.RequestBody body, String path, Span span) {
        ApiKeyGuard.Verdict verdict = guard.check(
                request.requestHeaders()::get, Role.WRITE, request.method().name(), path);
        if (verdict instanceof ApiKeyGuard.Refused refused) {
            return Mono.just(new Answer(
                    refused.status().value(),
                    refused.headers(),
                    MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    refused.body()));
        }
        String name = name(request);
        String named = request.requestHeaders().get(HashRouting.KEY_HEADER);
        String key = named != null && !named.isBlank() ? named : name;
        long deadline = System.nanoTime() + responseTimeout.toNanos();
        return body.bytes()
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> attempt(request, bytes, key, new LinkedHashSet<>(), deadline, span));
    }

    /**
     * Sends the request to the key's replica, and to the next on the ring while replicas refuse the
     * connection, or cut off in flight a request that is safe to repeat.
     */
    private Mono<Answer> attempt(
            HttpServerRequest request, byte[] body, String key, Set<String> tried, long deadline, Span span) {
        return target(key, tried).flatMap(target -> {
            ServiceInstance instance = target.instance();
            if (instance != null) {
                tried.add(instance.getInstanceId());
                inFlight.started(instance);
            }
            if (!span.isNoop()) {
                span.tag("baton.upstream", target.name());
            }
            return send(request, body, target, span)
                    .doFinally(signal -> {
                        if (instance != null) {
                            inFlight.finished(instance);
                        }
                    })
                    .onErrorResume(
                            error -> instance != null
                                    && tried.size() <= RETRIES
                                    && System.nanoTime() < deadline
                                    && repeatable(error, request, body),
                            error -> attempt(request, body, key, tried, deadline, span));
        });
    }

    /**
     * Whether another replica may take the request after {@code error}: one that reached no
     * service, whatever it asks, or one cut off in flight that is safe to repeat. A renewal and a
     * release are (a repeated release of a lease already released answers 410); an acquire is when
     * it names a {@code requestId}, which answers the lease a first attempt may have granted.
     */
    private boolean repeatable(Throwable error, HttpServerRequest request, byte[] body) {
        UpstreamFailure failure = UpstreamFailure.of(error);
        if (failure == null || !(failure.unsent() || failure.cutOff())) {
            return false;
        }
        return failure.unsent() || !request.method().equals(HttpMethod.POST) || namesRequestId(body);
    }

    private boolean namesRequestId(byte[] body) {
        try {
            JsonNode requestId = json.readTree(body).path("requestId");
            return requestId.isString() && !requestId.stringValue().isBlank();
        } catch (JacksonException notJson) {
            return false;
        }
    }

    private Mono<Target> target(String key, Set<String> tried) {
        if (!"lb".equals(upstream.getScheme())) {
            return Mono.just(new Target(null, upstream.getScheme() + "://" + upstream.getRawAuthority()));
        }
        if (!(balancers.getInstance(upstream.getHost()) instanceof ConsistentHashLoadBalancer balancer)) {
            return Mono.error(new IllegalStateException("No consistent-hash balancer for " + upstream.getHost()));
        }
        return balancer.choose(key, settings, tried)
                .switchIfEmpty(Mono.error(() -> new ConnectException("No replica of " + upstream.getHost()
                        + " is registered" + (tried.isEmpty() ? "" : " that was not tried"))))
                .map(instance -> new Target(instance, instance.getUri().toString()));
    }

    private Mono<Answer> send(HttpServerRequest request, byte[] body, Target target, Span span) {
        return client.request(request.method())
                .uri(target.base() + request.uri())
                .send((out, outbound) -> {
                    forwarded(request, out.requestHeaders());
                    spans.inject(span, out.requestHeaders()::set);
                    return body.length == 0 ? outbound : outbound.sendByteArray(Mono.just(body));
                })
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> answer(response, bytes, target)));
    }

    /**
     * The request's headers, less those of its connection and its caller's trace context (this
     * call's span carries it on), with the X-Forwarded ones.
     */
    private void forwarded(HttpServerRequest request, HttpHeaders headers) {
        request.requestHeaders().forEach(header -> {
            if (!notForwarded.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(header.getKey(), header.getValue());
            }
        });
        InetSocketAddress remote = request.remoteAddress();
        if (remote != null) {
            String previous = request.requestHeaders().get("X-Forwarded-For");
            String address = remote.getAddress() == null
                    ? remote.getHostString()
                    : remote.getAddress().getHostAddress();
            headers.set("X-Forwarded-For", previous == null ? address : previous + ", " + address);
        }
        headers.set("X-Forwarded-Proto", request.scheme());
        String host = request.requestHeaders().get(HttpHeaderNames.HOST);
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        }
    }

    private Answer answer(HttpClientResponse response, byte[] body, Target target) {
        Map<String, String> headers = new LinkedHashMap<>();
        String type = null;
        for (Map.Entry<String, String> header : response.responseHeaders()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-type")) {
                type = header.getValue();
            } else if (!NOT_FORWARDED.contains(name)) {
                headers.merge(header.getKey(), header.getValue(), (first, next) -> first + ", " + next);
            }
        }
        if (upstreamHeader) {
            headers.put(UpstreamFilter.UPSTREAM_HEADER, target.name());
        }
        return new Answer(response.status().code(), headers, type, body);
    }

    private static String name(HttpServerRequest request) {
        String name;
        try {
            name = UriUtils.decode(request.param("name"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            name = "";
        }
        if (!ResourceNames.valid(name)) {
            throw new InvalidName();
        }
        return name;
    }

    /** A name lock-service would refuse: refused here, before it is hashed. */
    private static final class InvalidName extends RuntimeException {

        InvalidName() {
            super(ResourceName.MESSAGE, null, false, false);
        }
    }

    /** Every failure as a problem: the upstream's absence, silence or hang-up, or the request's own fault. */
    private Answer problem(Throwable error, HttpServerRequest request, String path) {
        if (error instanceof InvalidName) {
            return problem(
                    Problems.members(
                            Problems.validation(
                                    "The request is invalid.",
                                    List.of(new Problems.FieldError("name", ResourceName.MESSAGE))),
                            path),
                    Map.of());
        }
        if (error instanceof NettyExchange.BodyTooLarge) {
            return problem(Problems.members(HttpStatus.CONTENT_TOO_LARGE, error.getMessage(), path), Map.of());
        }
        UpstreamFailure failure = UpstreamFailure.of(error);
        if (failure == null) {
            log.error("{} {} failed", request.method(), path, error);
            return problem(
                    Problems.members(
                            HttpStatus.BAD_GATEWAY,
                            "The gateway could not relay the request to the service behind this path.",
                            path),
                    Map.of());
        }
        log.warn(
                "{} {} failed with {}: {}",
                request.method(),
                path,
                failure.status().value(),
                error.toString());
        return problem(Problems.members(failure.status(), failure.detail(), path), failure.headers());
    }

    private Answer problem(Map<String, Object> members, Map<String, String> headers) {
        return new Answer(
                (Integer) members.get("status"),
                headers,
                MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                json.writeValueAsBytes(members));
    }
}
