package dev.baton.client.worker;

import dev.baton.signing.CallSignature;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * Admits only calls signed by Baton's scheduler with one of the configured secrets, within
 * {@link CallSignature#TOLERANCE} of this worker's clock, each attempt of an execution (and shard)
 * once. An attempt is remembered until its timestamp is too old to be admitted anyway, so memory
 * holds one entry per call of the last ten minutes at most. The memory is this process's: a call
 * replayed to another instance, or after a restart, is not recognised. Thread-safe.
 */
final class SignedCalls {

    private static final long SWEEP_EVERY_SECONDS = 10;

    private final List<String> secrets;
    private final Clock clock;
    private final Map<Attempt, Long> forgetAfter = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong();

    private record Attempt(long executionId, int attempt, int shardIndex) {}

    /** @param secrets the secrets the scheduler may sign with: the current one, and the next or last during a rotation */
    SignedCalls(List<String> secrets, Clock clock) {
        this.secrets = List.copyOf(secrets);
        this.clock = clock;
    }

    /**
     * Checks the call's signature over its method, raw path and query, execution headers and body.
     *
     * @return the call's timestamp
     */
    long verify(ServerRequest request, byte[] body) throws CallSignature.Refused {
        HttpServletRequest servlet = request.servletRequest();
        String target = servlet.getQueryString() == null
                ? servlet.getRequestURI()
                : servlet.getRequestURI() + "?" + servlet.getQueryString();
        List<String> values = new ArrayList<>();
        for (String header : CallSignature.EXECUTION_HEADERS) {
            values.add(request.headers().firstHeader(header));
        }
        return CallSignature.verify(
                secrets,
                request.headers().firstHeader(CallSignature.TIMESTAMP),
                request.headers().firstHeader(CallSignature.SIGNATURE),
                servlet.getMethod(),
                target,
                values,
                body,
                clock.instant());
    }

    /** Whether this is the first verified call of the context's attempt; remembers it if so. */
    boolean firstDelivery(TaskContext context, long timestamp) {
        Instant now = clock.instant();
        sweep(now);
        long forget = timestamp + CallSignature.TOLERANCE.toSeconds();
        return forgetAfter.putIfAbsent(
                        new Attempt(context.executionId(), context.attempt(), context.shardIndex()), forget)
                == null;
    }

    /** Forgets attempts whose calls would now be refused as stale. */
    private void sweep(Instant now) {
        long next = nextSweep.get();
        if (now.getEpochSecond() >= next && nextSweep.compareAndSet(next, now.getEpochSecond() + SWEEP_EVERY_SECONDS)) {
            forgetAfter.values().removeIf(forget -> forget < now.getEpochSecond());
        }
    }
}
