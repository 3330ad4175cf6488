package dev.baton.client.worker;

import dev.baton.test.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a test of a running {@link WorkerApplication} holds: its tasks, and HTTP to the random
 * port it serves them on. The test class starts the application ({@code @SpringBootTest}).
 */
abstract class RunningWorker {

    @LocalServerPort
    protected int port;

    @Autowired
    protected WorkerApplication.BillingTasks tasks;

    protected TestHttp http;

    @BeforeEach
    void connect() {
        http = TestHttp.localhost(port);
    }
}
