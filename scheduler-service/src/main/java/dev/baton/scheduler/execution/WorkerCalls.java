package dev.baton.scheduler.execution;

import static dev.baton.signing.CallSignature.ATTEMPT;
import static dev.baton.signing.CallSignature.EXECUTION_ID;
import static dev.baton.signing.CallSignature.SCHEDULED_AT;
import static dev.baton.signing.CallSignature.SHARD_INDEX;
import static dev.baton.signing.CallSignature.SHARD_TOTAL;

import dev.baton.common.tracing.Spans;
import dev.baton.scheduler.SchedulerProperties;
import dev.baton.scheduler.egress.EgressPolicy;
import dev.baton.scheduler.egress.SigningProperties;
import dev.baton.scheduler.job.JobDefinition;
import dev.baton.scheduler.routing.Router;
import dev.baton.scheduler.routing.Routing;
import dev.baton.signing.CallSignature;
import io.micrometer.tracing.Span;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the workers of a claimed execution: {@code POST {instance}{path}} with the job's body and
 * the {@code X-Baton-*} headers, one call per shard, all at once, without blocking a thread. A 2xx
 * answer succeeds with its body as the result; 202 leaves the call to the worker, which reports
 * through {@code /complete}; any other answer, a refused connection or the timeout fails it. A
 * call ends by its timeout even when the worker sent its headers and stalls in the body.
 * FAILOVER routing tries the next instance when one refuses the connection or answers 503.
 * Every call is signed ({@link CallSignature}) with the secret of the job's target, and made only
 * when the {@link EgressPolicy} allows its address, checked (and the host resolved) on a thread of
 * its own so that a slow name lookup holds up no other call. A workflow node's call also carries its
 * run in {@code X-Baton-Workflow-Run} and its upstream nodes' results in its body. Each call is a
 * {@code worker call} span, a child of the attempt's, whose context the worker receives as
 * {@code traceparent}.
 */
@Component
class WorkerCalls implements DisposableBean {

    /** The run of a workflow node's call; not signed, the signed body carries the node's input. */
    static final String WORKFLOW_RUN = "X-Baton-Workflow-Run";

    private final Router router;
    private final EgressPolicy egress;
    private final SigningProperties signing;
    private final Spans spans;
    private final Clock clock;
    private final JsonMapper json;
    private final int maxResultBytes;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ExecutorService egressChecks = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "scheduler-egress-check");
        thread.setDaemon(true);
        return thread;
    });

    WorkerCalls(
            Router router,
            EgressPolicy egress,
            SigningProperties signing,
            Spans spans,
            Clock clock,
            JsonMapper json,
            SchedulerProperties properties) {
        this.router = router;
        this.egress = egress;
        this.signing = signing;
        this.spans = spans;
        this.clock = clock;
        this.json = json;
        this.maxResultBytes =
                (int) Math.min(Integer.MAX_VALUE, properties.maxResultSize().toBytes());
    }

    /**
     * Makes every call of the execution, each a child span of {@code attempt}; completes, never
     * exceptionally, when all have answered or failed.
     */
    CompletableFuture<List<CallResult>> call(Claimed execution, Span attempt) {
        JobDefinition job = execution.job();
        List<Router.Call> routed = job.target().url() != null
                ? List.of(new Router.Call(0, 1, List.of()))
                : router.route(
                        execution.jobId(), job.target().service(), job.routing(), job.shards(), job.routingKey());
        List<CompletableFuture<CallResult>> calls = new ArrayList<>();
        for (Router.Call call : routed) {
            calls.add(
                    job.target().url() != null
                            ? callUrl(execution, call, URI.create(job.target().url()), attempt)
                            : callInstances(execution, call, call.candidates(), 0, attempt));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenApply(done -> calls.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<CallResult> callInstances(
            Claimed execution, Router.Call call, List<ServiceInstance> candidates, int next, Span attempt) {
        Instant started = clock.instant();
        if (next >= candidates.size()) {
            String error = candidates.isEmpty()
                    ? "no healthy instance of '" + execution.job().target().service() + "'"
                    : "every instance refused the call";
            return CompletableFuture.completedFuture(new CallResult(
                    call.shardIndex(), call.shardTotal(), null, AttemptStatus.FAILED, null, error, started, started));
        }
        ServiceInstance instance = candidates.get(next);
        URI uri = URI.create(instance.getUri() + execution.job().target().path());
        router.started(instance);
        return send(execution, call, uri, instance.getInstanceId(), started, attempt)
                .thenCompose(result -> {
                    router.ended(instance);
                    boolean failover = execution.job().routing() == Routing.FAILOVER && result.refused();
                    return failover
                            ? callInstances(execution, call, candidates, next + 1, attempt)
                            : CompletableFuture.completedFuture(result.call());
                });
    }

    private CompletableFuture<CallResult> callUrl(Claimed execution, Router.Call call, URI url, Span attempt) {
        return send(execution, call, url, null, clock.instant(), attempt).thenApply(Sent::call);
    }

    /** A call's result, and whether the instance refused it, so that FAILOVER may try the next. */
    private record Sent(CallResult call, boolean refused) {}

    /** Checks, signs and makes one call; {@code instanceId} is null for a job's URL target. */
    private CompletableFuture<Sent> send(
            Claimed execution, Router.Call call, URI uri, String instanceId, Instant started, Span attempt) {
        JobDefinition.Target target = execution.job().target();
        String signedFor = target.service() != null ? target.service() : uri.getHost();
        Optional<String> secret = signing.secretFor(signedFor);
        if (secret.isEmpty()) {
            return CompletableFuture.completedFuture(refused(
                    call, instanceId, started, "no signing secret for '" + signedFor + "' in baton.scheduler.signing"));
        }
        return CompletableFuture.supplyAsync(
                        () -> instanceId == null ? egress.refusalOfUrl(uri) : egress.refusalOfInstance(uri),
                        egressChecks)
                .thenCompose(refusal -> refusal.isPresent()
                        ? CompletableFuture.completedFuture(
                                refused(call, instanceId, started, "refused to call " + uri + ": " + refusal.get()))
                        : post(execution, call, uri, instanceId, started, secret.get(), attempt));
    }

    /** A call the scheduler does not make; FAILOVER tries the next instance. */
    private Sent refused(Router.Call call, String instanceId, Instant started, String error) {
        return new Sent(
                new CallResult(
                        call.shardIndex(),
                        call.shardTotal(),
                        instanceId,
                        AttemptStatus.FAILED,
                        null,
                        error,
                        started,
                        clock.instant()),
                true);
    }

    private CompletableFuture<Sent> post(
            Claimed execution,
            Router.Call call,
            URI uri,
            String instanceId,
            Instant started,
            String secret,
            Span attempt) {
        JobDefinition.Target target = execution.job().target();
        byte[] body = body(execution);
        Map<String, String> named = Map.of(
                EXECUTION_ID,
                String.valueOf(execution.id()),
                ATTEMPT,
                String.valueOf(execution.attempt()),
                SHARD_INDEX,
                String.valueOf(call.shardIndex()),
                SHARD_TOTAL,
                String.valueOf(call.shardTotal()),
                SCHEDULED_AT,
                execution.scheduledAt().toString());
        List<String> headers =
                CallSignature.EXECUTION_HEADERS.stream().map(named::get).toList();
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(execution.job().timeout())
                .method(
                        target.method(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json")
                .header(CallSignature.TIMESTAMP, String.valueOf(timestamp))
                .header(
                        CallSignature.SIGNATURE,
                        CallSignature.sign(
                                secret, timestamp, target.method(), CallSignature.target(uri), headers, body));
        named.forEach(request::header);
        if (execution.node() != null) {
            request.header(WORKFLOW_RUN, String.valueOf(execution.node().runId()));
        }
        Span span = spans.child("worker call", attempt, Span.Kind.CLIENT);
        if (!span.isNoop()) {
            span.tag("http.request.method", target.method())
                    .tag("url.full", uri.toString())
                    .tag("baton.shard.index", call.shardIndex());
            if (instanceId != null) {
                span.tag("baton.instance.id", instanceId);
            }
        }
        spans.inject(span, request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(execution.job().timeoutMs(), TimeUnit.MILLISECONDS)
                .whenComplete(
                        (response, failure) -> Spans.end(span, response == null ? 0 : response.statusCode(), failure))
                .handle((response, failure) -> {
                    Instant finished = clock.instant();
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        boolean timedOut = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
                        String error = timedOut
                                ? "no answer within " + execution.job().timeoutMs() + " ms"
                                : "call to " + uri + " failed: " + cause;
                        return new Sent(
                                new CallResult(
                                        call.shardIndex(),
                                        call.shardTotal(),
                                        instanceId,
                                        timedOut ? AttemptStatus.TIMED_OUT : AttemptStatus.FAILED,
                                        null,
                                        error,
                                        started,
                                        finished),
                                cause instanceof ConnectException);
                    }
                    int status = response.statusCode();
                    String text = Results.capped(new String(response.body(), StandardCharsets.UTF_8), maxResultBytes);
                    if (status == 202) {
                        return new Sent(
                                new CallResult(
                                        call.shardIndex(),
                                        call.shardTotal(),
                                        instanceId,
                                        AttemptStatus.ACCEPTED,
                                        null,
                                        null,
                                        started,
                                        null),
                                false);
                    }
                    if (status >= 200 && status < 300) {
                        return new Sent(
                                new CallResult(
                                        call.shardIndex(),
                                        call.shardTotal(),
                                        instanceId,
                                        AttemptStatus.SUCCEEDED,
                                        text.isEmpty() ? null : text,
                                        null,
                                        started,
                                        finished),
                                false);
                    }
                    return new Sent(
                            new CallResult(
                                    call.shardIndex(),
                                    call.shardTotal(),
                                    instanceId,
                                    AttemptStatus.FAILED,
                                    null,
                                    Results.capped(
                                            "answered " + status + (text.isEmpty() ? "" : ": " + text), maxResultBytes),
                                    started,
                                    finished),
                            status == 503);
                });
    }

    /**
     * The job's body; for a workflow node, the job's body object with {@code upstream} set to its
     * upstream nodes' results (a body that is no object goes under {@code body} beside it).
     */
    private byte[] body(Claimed execution) {
        JsonNode body = execution.job().target().body();
        boolean none = body == null || body.isNull();
        if (execution.node() == null) {
            return none ? new byte[0] : json.writeValueAsBytes(body);
        }
        ObjectNode merged = body instanceof ObjectNode object ? object.deepCopy() : json.createObjectNode();
        if (!none && !body.isObject()) {
            merged.set("body", body);
        }
        merged.set("upstream", execution.node().upstream());
        return json.writeValueAsBytes(merged);
    }

    @Override
    public void destroy() {
        egressChecks.shutdownNow();
    }
}
