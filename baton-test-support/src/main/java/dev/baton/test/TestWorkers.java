package dev.baton.test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How tests' schedulers reach their workers: each signs its calls with {@link #SIGNING_SECRET},
 * which the tests' workers check, and may call workers on loopback, where every test worker listens.
 */
public final class TestWorkers {

    public static final String SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

    /** The worker SDK's property that accepts calls signed with {@link #SIGNING_SECRET}. */
    public static final String WORKER_SIGNING = "baton.worker.signing-secrets=" + SIGNING_SECRET;

    /** Loopback, by address and by name: the one thing the tests' allowlist adds to the default. */
    public static final String LOOPBACK = "127.0.0.0/8,::1,localhost";

    private TestWorkers() {}

    /** The scheduler's properties that sign with {@link #SIGNING_SECRET} and allow {@link #LOOPBACK}. */
    public static Map<String, String> schedulerProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("baton.scheduler.signing.default-secret", SIGNING_SECRET);
        properties.put("baton.scheduler.egress.allow", LOOPBACK);
        return properties;
    }
}
