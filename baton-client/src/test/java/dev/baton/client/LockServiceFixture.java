package dev.baton.client;

import dev.baton.lock.LockServiceApplication;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestApiKeys;

/** A real lock-service, started once per test JVM, and clients that call it over HTTP. */
public final class LockServiceFixture {

    private static ServiceInstance service;

    private LockServiceFixture() {}

    public static synchronized ServiceInstance service() {
        if (service == null) {
            service = ServiceInstance.start(LockServiceApplication.class);
        }
        return service;
    }

    public static BatonClient client(String owner) {
        return client(service().port(), owner);
    }

    public static BatonClient client(int port, String owner) {
        return BatonClient.builder()
                .baseUrl("http://localhost:" + port)
                .apiKey(TestApiKeys.WRITE)
                .owner(owner)
                .build();
    }
}
