package dev.baton.lock.lock;

import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import tools.jackson.databind.JsonNode;

/** The lock-service API as a test drives it: over HTTP, with a WRITE key. */
final class LockApi {

    final TestHttp http;

    LockApi(TestHttp http) {
        this.http = http;
    }

    TestHttp.Response acquire(String path, String owner, long ttlMs, long waitMs, String mode) {
        String body = "{\"owner\":\"" + owner + "\",\"ttlMs\":" + ttlMs + ",\"waitMs\":" + waitMs
                + (mode == null ? "" : ",\"mode\":\"" + mode + "\"") + "}";
        return http.send("POST", path, TestApiKeys.WRITE, body);
    }

    TestHttp.Response lock(String name, String owner, long ttlMs, long waitMs, String mode) {
        return acquire("/api/v1/locks/" + name + "/leases", owner, ttlMs, waitMs, mode);
    }

    JsonNode granted(String name, String owner, long ttlMs, long waitMs, String mode) {
        TestHttp.Response response = lock(name, owner, ttlMs, waitMs, mode);
        if (response.status() != 201) {
            throw new AssertionError("expected a grant of " + name + " to " + owner + ", got " + response);
        }
        return response.json();
    }

    TestHttp.Response release(String name, JsonNode lease) {
        return http.send(
                "DELETE",
                "/api/v1/locks/" + name + "/leases/" + lease.path("leaseId").asString(),
                TestApiKeys.WRITE,
                null);
    }

    TestHttp.Response renew(String name, JsonNode lease, long ttlMs) {
        return http.send(
                "PUT",
                "/api/v1/locks/" + name + "/leases/" + lease.path("leaseId").asString(),
                TestApiKeys.WRITE,
                "{\"ttlMs\":" + ttlMs + "}");
    }

    JsonNode inspect(String name) {
        return http.get("/api/v1/locks/" + name, TestApiKeys.READ).json();
    }
}
