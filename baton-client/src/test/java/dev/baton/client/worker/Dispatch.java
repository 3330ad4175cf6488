package dev.baton.client.worker;

import dev.baton.test.TestHttp;
import java.net.http.HttpRequest;

/** Calls a task as Baton's scheduler does: the job's body and the execution in X-Baton-* headers. */
final class Dispatch {

    static final String SCHEDULED_AT = "2026-03-01T10:15:30+01:00";

    private Dispatch() {
    }

    static TestHttp.Response task(TestHttp http, String path, String body, long executionId, int attempt,
            int shardIndex, int shardTotal) {
        return http.send(request(http, path, body)
                .header(TaskEndpoint.EXECUTION_ID, String.valueOf(executionId))
                .header(TaskEndpoint.ATTEMPT, String.valueOf(attempt))
                .header(TaskEndpoint.SHARD_INDEX, String.valueOf(shardIndex))
                .header(TaskEndpoint.SHARD_TOTAL, String.valueOf(shardTotal))
                .header(TaskEndpoint.SCHEDULED_AT, SCHEDULED_AT)
                .build());
    }

    /** A POST of {@code body} to {@code path}, to be finished with headers. */
    static HttpRequest.Builder request(TestHttp http, String path, String body) {
        return http.request(path).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }
}
