package dev.baton.common.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The spans Baton starts itself, where Spring's observations do not reach: the lease calls served
 * and proxied on Reactor Netty's own routes (docs/adr/0011, docs/adr/0013) and the scheduler's
 * execution attempts and calls to workers (docs/adr/0025). A span for a request joins the trace
 * its caller sent (W3C {@code traceparent}): it is the child of the caller's span, and its
 * sampling follows the caller's. One without a caller's context starts a trace, sampled at
 * {@code management.tracing.sampling.probability}. Thread-safe.
 */
public final class Spans {

    /** The W3C header that carries a span's trace id, span id and sampling decision. */
    public static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    /** The headers the propagation reads, which a request without a caller's context carries none of. */
    private final List<String> fields;

    public Spans(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.fields = List.copyOf(propagator.fields());
    }

    /**
     * A started span for a request served: the child of the span whose context the request's
     * headers carry, else the root of a new trace. A request that carries none of the
     * propagation's headers skips the extraction, which would find nothing: its span starts as
     * the extraction's would, from the context current on this thread.
     *
     * @param header the request's header of a name, or null
     */
    public Span serve(String name, Function<String, String> header) {
        Span.Builder builder = carriesContext(header)
                ? propagator.extract(header, (headers, key) -> headers.apply(key))
                : tracer.spanBuilder();
        return builder.kind(Span.Kind.SERVER).name(name).start();
    }

    private boolean carriesContext(Function<String, String> header) {
        for (String field : fields) {
            if (header.apply(field) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * A started span that goes on with the trace whose {@code traceparent} was kept with the work
     * (an execution triggered by a request), or, for null, the root of a new trace.
     */
    public Span resume(String name, String traceparent) {
        Span.Builder builder = traceparent == null
                ? tracer.spanBuilder().setNoParent()
                : propagator.extract(traceparent, (value, key) -> TRACEPARENT.equals(key) ? value : null);
        return builder.name(name).start();
    }

    /** A started child of {@code parent}. */
    public Span child(String name, Span parent, Span.Kind kind) {
        return tracer.spanBuilder()
                .setParent(parent.context())
                .kind(kind)
                .name(name)
                .start();
    }

    /**
     * Writes the headers that carry {@code span}'s context to the service it calls; a request
     * passed on ({@link #fields()}) must lose its caller's before.
     */
    public void inject(Span span, BiConsumer<String, String> header) {
        propagator.inject(span.context(), header, (headers, key, value) -> headers.accept(key, value));
    }

    /** The names of the headers the propagation reads and writes ({@code traceparent} among them). */
    public List<String> fields() {
        return fields;
    }

    /**
     * The {@code traceparent} of the span current on this thread, to resume later, sampled or
     * not (its flags keep the decision); null when there is none.
     */
    public String currentTraceparent() {
        Span current = tracer.currentSpan();
        if (current == null) {
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        propagator.inject(current.context(), headers, Map::put);
        return headers.get(TRACEPARENT);
    }

    /**
     * Ends the span of a request served or sent with the status answered, or 0 for none (the
     * caller went away, or no answer came); {@code failure} is what failed it, or null. A failure
     * without an answer, or answered from 500 on, marks the span as failed.
     */
    public static void end(Span span, int status, Throwable failure) {
        if (!span.isNoop()) {
            if (status != 0) {
                span.tag("http.response.status_code", status);
            }
            if (failure != null && (status == 0 || status >= 500)) {
                span.error(failure);
            } else if (status == 0) {
                span.event("cancelled");
            }
        }
        span.end();
    }

    /** Puts {@code span} in scope on this thread (its ids in the logs' MDC) until the scope is closed. */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }
}
