package dev.baton.http;

import java.util.Map;

/**
 * The trace context a {@link BatonHttp} sends with each request, so that the span Baton's service
 * starts for it joins the caller's trace. Baton's Spring Boot starter provides one where the
 * application has Micrometer Tracing, writing the current span's W3C {@code traceparent};
 * {@link #NONE} sends nothing, and needs no tracing library.
 */
@FunctionalInterface
public interface TracePropagation {

    /** Sends no trace context. */
    TracePropagation NONE = Map::of;

    /**
     * The headers (such as {@code traceparent}) that carry the trace context current on the
     * calling thread; empty when there is none.
     */
    Map<String, String> currentHeaders();
}
