package dev.baton.benchmarks;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lock-service calls as a benchmark client makes them: acquire, and acquire+release cycles. */
final class LockCalls {

    private static final Pattern LEASE_ID = Pattern.compile("\"leaseId\":\"([0-9a-f-]{36})\"");

    private LockCalls() {}

    /** Acquires and releases the lock. */
    static void cycle(String baseUrl, String name, long waitMs) throws IOException {
        String lease = acquire(baseUrl, name, waitMs);
        Harness.send("DELETE", baseUrl + "/api/v1/locks/" + name + "/leases/" + lease, null);
    }

    /** Acquires the lock, waiting up to {@code waitMs}; returns the lease id. */
    static String acquire(String baseUrl, String name, long waitMs) throws IOException {
        String body = Harness.send(
                "POST",
                baseUrl + "/api/v1/locks/" + name + "/leases",
                "{\"owner\":\"bench\",\"ttlMs\":30000,\"waitMs\":" + waitMs + "}");
        Matcher matcher = LEASE_ID.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("not granted: " + body);
        }
        return matcher.group(1);
    }
}
