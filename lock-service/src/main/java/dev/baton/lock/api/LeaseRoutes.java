package dev.baton.lock.api;

import dev.baton.common.keys.AuditLog;
import dev.baton.common.problem.DatabaseProblems;
import dev.baton.common.problem.Problems;
import dev.baton.common.problem.RequestErrors;
import dev.baton.common.security.ApiKeyGuard;
import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.Role;
import dev.baton.common.tracing.Spans;
import dev.baton.common.web.NettyExchange;
import dev.baton.common.web.NettyExchange.Answer;
import dev.baton.common.web.ResourceName;
import dev.baton.common.web.ResourceNames;
import dev.baton.common.web.WebProperties;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.LeaseRequest;
import dev.baton.lock.engine.ResourceKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.netty.handler.codec.http.HttpHeaderNames;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls a lease holder makes, served by Reactor Netty's own routes instead of WebFlux's
 * dispatcher, security filter chain and codecs (docs/adr/0011): acquire (each kind's own way),
 * renew and release. The rules are the same: the same API keys and roles ({@link ApiKeyGuard}),
 * the same bean validation of the same request records, the same problems for every error, the
 * same {@code http.server.requests} timers, the same audit log ({@link AuditLog}, queued, written
 * in batches). Everything else, reads and force-release included,
 * stays with the kinds' controllers.
 *
 * <p>Each call is one span, {@code lease acquire}, {@code lease renew} or {@code lease release},
 * the child of the caller's span when the request carries a {@code traceparent} (docs/adr/0025).
 * It names the lease's kind, name and id and the fencing token granted; the name, unbounded, is
 * an attribute of the span only, never a tag of a metric.
 */
@Component
public final class LeaseRoutes implements NettyRouteProvider {

    private static final Logger log = LoggerFactory.getLogger(LeaseRoutes.class);
    private static final String LEASE = "/{name}/leases/{leaseId}";

    /**
     * How one kind's clients acquire: where they post, what they send, and the lease request it
     * makes.
     *
     * @param kind the kind
     * @param tag the kind's group in the API document
     * @param basePath the kind's API path, such as {@code /api/v1/locks}
     * @param acquirePath where acquisitions are posted, below {@code basePath}, with {@code {name}}
     * @param summary the acquisition's summary in the API document
     * @param description its description there
     * @param body the request body's record, checked by bean validation
     * @param request makes the lease request; may throw
     *        {@link dev.baton.common.web.InvalidRequestException} for a rule annotations cannot express
     */
    public record Acquisition<T>(
            LeaseKind kind,
            String tag,
            String basePath,
            String acquirePath,
            String summary,
            String description,
            Class<T> body,
            RequestMaker<T> request) {}

    /** Makes a lease request from a valid body. */
    @FunctionalInterface
    public interface RequestMaker<T> {
        LeaseRequest make(ResourceKey key, String caller, T body);
    }

    /** A request past the key check, its body and its span. */
    private record Call(
            HttpServerRequest request, NettyExchange.RequestBody body, String caller, String path, Span span) {}

    private final List<Acquisition<?>> acquisitions;
    private final LeaseEngine leases;
    private final BlockingCalls calls;
    private final ApiKeyGuard guard;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Validator validator;
    private final NettyExchange.Timers timers;
    private final Spans spans;
    private final long maxBody;

    LeaseRoutes(
            List<Acquisition<?>> acquisitions,
            LeaseEngine leases,
            BlockingCalls calls,
            ApiKeyGuard guard,
            AuditLog audit,
            JsonMapper json,
            Validator validator,
            MeterRegistry meters,
            Spans spans,
            WebProperties web) {
        this.acquisitions = acquisitions;
        this.leases = leases;
        this.calls = calls;
        this.guard = guard;
        this.audit = audit;
        this.json = json;
        this.validator = validator;
        this.timers = new NettyExchange.Timers(meters);
        this.spans = spans;
        this.maxBody = web.maxRequestSize().toBytes();
    }

    /** The routes, each kind's acquisition and the renew and release every kind shares. */
    public List<Acquisition<?>> acquisitions() {
        return acquisitions;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        for (Acquisition<?> acquisition : acquisitions) {
            String acquire = acquisition.basePath() + acquisition.acquirePath();
            String lease = acquisition.basePath() + LEASE;
            routes.post(
                            acquire,
                            (request, response) -> serve(
                                    request, response, acquire, "lease acquire", call -> acquire(call, acquisition)))
                    .put(
                            lease,
                            (request, response) -> serve(
                                    request, response, lease, "lease renew", call -> renew(call, acquisition.kind())))
                    .delete(
                            lease,
                            (request, response) -> serve(
                                    request,
                                    response,
                                    lease,
                                    "lease release",
                                    call -> release(call, acquisition.kind())));
        }
        return routes;
    }

    private <T> Mono<Answer> acquire(Call call, Acquisition<T> acquisition) {
        ResourceKey key = traced(call, new ResourceKey(acquisition.kind(), name(call)));
        return body(call)
                .switchIfEmpty(Mono.error(() -> new UnreadableBody(null)))
                .map(bytes -> {
                    T body = read(bytes, acquisition.body());
                    if (body == null) {
                        throw new UnreadableBody(null);
                    }
                    return acquisition.request().make(key, call.caller(), valid(body));
                })
                .flatMap(request -> calls.await(() -> leases.acquire(request)))
                .map(lease -> {
                    tagLease(call.span(), lease.leaseId(), lease.token());
                    String location = acquisition.basePath() + "/"
                            + UriUtils.encodePathSegment(key.name(), StandardCharsets.UTF_8) + "/leases/"
                            + lease.leaseId();
                    return new Answer(
                            201,
                            Map.of("Location", location),
                            MediaType.APPLICATION_JSON_VALUE,
                            json.writeValueAsBytes(LeaseResponse.of(lease)));
                });
    }

    private Mono<Answer> renew(Call call, LeaseKind kind) {
        ResourceKey key = traced(call, new ResourceKey(kind, name(call)));
        UUID leaseId = leaseId(call);
        tagLease(call.span(), leaseId, null);
        return body(call)
                .defaultIfEmpty(new byte[0])
                .map(bytes -> {
                    Renewal renewal = bytes.length == 0 ? null : read(bytes, Renewal.class);
                    return renewal == null ? new Renewal(null) : valid(renewal);
                })
                .flatMap(renewal -> calls.call(() -> leases.renew(key, leaseId, renewal.ttlMs())))
                .map(lease -> new Answer(
                        200,
                        Map.of(),
                        MediaType.APPLICATION_JSON_VALUE,
                        json.writeValueAsBytes(LeaseResponse.of(lease))));
    }

    private Mono<Answer> release(Call call, LeaseKind kind) {
        ResourceKey key = traced(call, new ResourceKey(kind, name(call)));
        UUID leaseId = leaseId(call);
        tagLease(call.span(), leaseId, null);
        return calls.call(() -> {
            leases.release(key, leaseId);
            return Answer.empty(204);
        });
    }

    /** Checks the key, runs the call, answers its result or its error as a problem, and times and traces it. */
    private Mono<Void> serve(
            HttpServerRequest request,
            HttpServerResponse response,
            String template,
            String operation,
            Function<Call, Mono<Answer>> handler) {
        long started = System.nanoTime();
        String method = request.method().name();
        String path = NettyExchange.path(request);
        Span span = spans.serve(operation, request.requestHeaders()::get);
        if (!span.isNoop()) {
            span.tag("http.request.method", method).tag("http.route", template);
        }
        ApiKeyGuard.Verdict verdict = guard.check(request.requestHeaders()::get, Role.WRITE, method, path);
        NettyExchange.RequestBody body = new NettyExchange.RequestBody(request, maxBody);
        Mono<Answer> answer;
        ApiKeyPrincipal caller = null;
        if (verdict instanceof ApiKeyGuard.Allowed allowed) {
            caller = allowed.caller();
            answer = Mono.defer(
                    () -> handler.apply(new Call(request, body, allowed.caller().name(), path, span)));
        } else {
            ApiKeyGuard.Refused refused = (ApiKeyGuard.Refused) verdict;
            caller = refused.caller();
            answer = Mono.just(new Answer(
                    refused.status().value(),
                    refused.headers(),
                    MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    refused.body()));
        }
        String[] exception = {"none"};
        Throwable[] failure = {null};
        ApiKeyPrincipal audited = caller;
        return answer.onErrorResume(error -> {
                    exception[0] = error.getClass().getSimpleName();
                    failure[0] = error;
                    try (Tracer.SpanInScope scope = spans.inScope(span)) {
                        return Mono.just(problem(error, path));
                    }
                })
                .flatMap(body::before)
                .flatMap(result -> NettyExchange.write(response, result).doOnSuccess(done -> {
                    timers.record(template, method, result.status(), exception[0], started);
                    Spans.end(span, result.status(), failure[0]);
                    if (audited != null) {
                        audit.record(
                                audited,
                                method,
                                path,
                                result.status(),
                                AuditLog.remoteAddress(
                                        request.remoteAddress() == null
                                                ? null
                                                : request.remoteAddress()
                                                        .getAddress()
                                                        .getHostAddress(),
                                        request.requestHeaders().get("X-Forwarded-For")));
                    }
                }))
                .doOnCancel(() -> {
                    timers.record(template, method, 0, exception[0], started);
                    Spans.end(span, 0, failure[0]);
                });
    }

    /** Names the call's resource on its span. */
    private static ResourceKey traced(Call call, ResourceKey key) {
        if (!call.span().isNoop()) {
            call.span().tag("baton.lease.kind", key.kind().name()).tag("baton.lease.name", key.name());
        }
        return key;
    }

    private static void tagLease(Span span, UUID leaseId, Long token) {
        if (!span.isNoop()) {
            span.tag("baton.lease.id", leaseId.toString());
            if (token != null) {
                span.tag("baton.lease.token", token);
            }
        }
    }

    /** The body, at most {@code baton.web.max-request-size}, as JSON; empty when there is none. */
    private static Mono<byte[]> body(Call call) {
        String type = call.request().requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        return call.body().bytes().doOnNext(bytes -> {
            if (type == null || !MediaType.parseMediaType(type).isCompatibleWith(MediaType.APPLICATION_JSON)) {
                throw new UnsupportedType(type);
            }
        });
    }

    private <T> T read(byte[] bytes, Class<T> type) {
        try {
            return json.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new UnreadableBody(e);
        }
    }

    private <T> T valid(T body) {
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new InvalidBody(RequestErrors.constraintViolations(violations, "The request body is invalid."));
        }
        return body;
    }

    private static String name(Call call) {
        String name;
        try {
            name = UriUtils.decode(call.request().param("name"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            name = "";
        }
        if (!ResourceNames.valid(name)) {
            throw new InvalidBody(Problems.validation(
                    "The request is invalid.", List.of(new Problems.FieldError("name", ResourceName.MESSAGE))));
        }
        return name;
    }

    private static UUID leaseId(Call call) {
        try {
            return UUID.fromString(call.request().param("leaseId"));
        } catch (IllegalArgumentException e) {
            throw new InvalidBody(Problems.validation(
                    "The request is invalid.", List.of(new Problems.FieldError("leaseId", "must be a UUID"))));
        }
    }

    /** Every error as the problem the WebFlux stack would answer. */
    private Answer problem(Throwable error, String path) {
        ResponseEntity<ProblemDetail> entity = LeaseProblems.of(error);
        if (entity == null) {
            entity = DatabaseProblems.of(error);
        }
        if (entity == null) {
            ProblemDetail problem;
            HttpStatus status = HttpStatus.BAD_REQUEST;
            if (error instanceof InvalidBody invalid) {
                problem = invalid.problem;
            } else if (error instanceof ErrorResponse response) {
                problem = response.getBody();
                status = HttpStatus.valueOf(response.getStatusCode().value());
            } else if (error instanceof UnreadableBody unreadable) {
                problem = RequestErrors.unreadableBody(unreadable.jackson);
            } else if (error instanceof NettyExchange.BodyTooLarge) {
                status = HttpStatus.CONTENT_TOO_LARGE;
                problem = ProblemDetail.forStatusAndDetail(status, error.getMessage());
            } else if (error instanceof UnsupportedType unsupported) {
                status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
                problem = ProblemDetail.forStatusAndDetail(
                        status,
                        "Content-Type '" + unsupported.getMessage() + "' is not supported; send application/json.");
            } else {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
                problem = RequestErrors.incident(log, error);
            }
            entity = ResponseEntity.status(status).body(problem);
        }
        ProblemDetail problem = entity.getBody();
        problem.setStatus(entity.getStatusCode().value());
        Map<String, Object> members = Problems.members(problem, path);
        Map<String, String> headers = new LinkedHashMap<>();
        entity.getHeaders().forEach((header, values) -> headers.put(header, String.join(",", values)));
        return new Answer(
                problem.getStatus(),
                headers,
                MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                json.writeValueAsBytes(members));
    }

    /** A request that breaks a rule: its validation problem. */
    private static final class InvalidBody extends RuntimeException {

        private final transient ProblemDetail problem;

        InvalidBody(ProblemDetail problem) {
            super(problem.getDetail(), null, false, false);
            this.problem = problem;
        }
    }

    /** A body that is not JSON, or not JSON of the expected shape. */
    private static final class UnreadableBody extends RuntimeException {

        private final transient JacksonException jackson;

        UnreadableBody(JacksonException jackson) {
            super("unreadable body", jackson, false, false);
            this.jackson = jackson;
        }
    }

    private static final class UnsupportedType extends RuntimeException {

        UnsupportedType(String type) {
            super(type, null, false, false);
        }
    }
}
