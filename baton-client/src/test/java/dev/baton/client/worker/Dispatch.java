package dev.baton.client.worker;

import dev.baton.signing.CallSignature;
import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls a task as Baton's scheduler does: the job's body, the execution in X-Baton-* headers, all
 * signed with {@link TestWorkers#SIGNING_SECRET}; or signed in some other way, as a test says.
 */
final class Dispatch {

    static final String SCHEDULED_AT = "2026-03-01T10:15:30+01:00";

    private Dispatch() {}

    static TestHttp.Response task(
            TestHttp http, String path, String body, long executionId, int attempt, int shardIndex, int shardTotal) {
        return call(
                http,
                path,
                body,
                body,
                execution(executionId, attempt, shardIndex, shardTotal),
                TestWorkers.SIGNING_SECRET,
                Instant.now());
    }

    /** The X-Baton-* headers of one attempt of an execution. */
    static Map<String, String> execution(long executionId, int attempt, int shardIndex, int shardTotal) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CallSignature.EXECUTION_ID, String.valueOf(executionId));
        headers.put(CallSignature.ATTEMPT, String.valueOf(attempt));
        headers.put(CallSignature.SHARD_INDEX, String.valueOf(shardIndex));
        headers.put(CallSignature.SHARD_TOTAL, String.valueOf(shardTotal));
        headers.put(CallSignature.SCHEDULED_AT, SCHEDULED_AT);
        return headers;
    }

    /**
     * A POST of {@code sentBody} with these headers, signed over {@code signedBody} with
     * {@code secret} at {@code at}.
     */
    static TestHttp.Response call(
            TestHttp http,
            String path,
            String signedBody,
            String sentBody,
            Map<String, String> headers,
            String secret,
            Instant at) {
        long timestamp = at.getEpochSecond();
        List<String> values =
                CallSignature.EXECUTION_HEADERS.stream().map(headers::get).toList();
        byte[] signed = signedBody == null ? new byte[0] : signedBody.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = http.request(path)
                .header("Content-Type", "application/json")
                .POST(
                        sentBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(sentBody))
                .header(CallSignature.TIMESTAMP, String.valueOf(timestamp))
                .header(CallSignature.SIGNATURE, CallSignature.sign(secret, timestamp, "POST", path, values, signed));
        headers.forEach(request::header);
        return http.send(request.build());
    }
}
