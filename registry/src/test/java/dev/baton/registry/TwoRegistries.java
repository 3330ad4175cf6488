package dev.baton.registry;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A test of two registry replicas on one database: the test's own, and a second one. */
@BatonServiceTest
public abstract class TwoRegistries {

    protected static ServiceInstance second;

    @LocalServerPort
    protected int port;

    @BeforeAll
    static void startSecondReplica() {
        second = ServiceInstance.start(RegistryApplication.class);
    }

    @AfterAll
    static void stopSecondReplica() {
        second.close();
    }

    /** The test's own replica. */
    protected TestHttp http() {
        return TestHttp.localhost(port);
    }
}
