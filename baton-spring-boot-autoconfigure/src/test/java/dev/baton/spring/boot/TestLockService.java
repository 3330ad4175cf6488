package dev.baton.spring.boot;

import dev.baton.lock.LockServiceApplication;
import dev.baton.test.ServiceInstance;

/** A real lock-service, started once per test JVM. */
public final class TestLockService {

    private static ServiceInstance service;

    private TestLockService() {}

    public static synchronized ServiceInstance get() {
        if (service == null) {
            service = ServiceInstance.start(LockServiceApplication.class);
        }
        return service;
    }

    public static String url() {
        return "http://localhost:" + get().port();
    }
}
