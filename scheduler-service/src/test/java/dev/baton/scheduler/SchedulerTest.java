package dev.baton.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import dev.baton.test.TestWorkers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A test of the scheduler on its database, with a registry running as its own process (one for
 * the test JVM) for workers to register with.
 */
@BatonServiceTest
public abstract class SchedulerTest {

    private static ServiceProcess registry;

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    /** The registry, started once for every test class of the JVM. */
    protected static synchronized ServiceProcess registry() {
        if (registry == null) {
            registry = ServiceProcess.start("registry");
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close));
        }
        return registry;
    }

    @DynamicPropertySource
    static void discovery(DynamicPropertyRegistry properties) {
        properties.add("baton.discovery.url", () -> registry().url());
        properties.add("baton.discovery.api-key", () -> TestApiKeys.WRITE);
        properties.add("baton.discovery.register", () -> "false");
        properties.add("baton.scheduler.signing.default-secret", () -> TestWorkers.SIGNING_SECRET);
    }

    /**
     * Stores a WRITE key with these scopes (JSON) as the registry does, and waits until the
     * scheduler accepts it; returns the key.
     */
    protected String scopedKey(String scopes) throws Exception {
        String key = "baton_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("""
                insert into baton_keys.api_keys (id, name, sha256, roles, scopes)
                values (:id, :name, :sha256, '{WRITE}', :scopes::jsonb)
                """)
                .param("id", UUID.randomUUID())
                .param("name", unique("scoped-key"))
                .param(
                        "sha256",
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256")
                                        .digest(key.getBytes(StandardCharsets.UTF_8))))
                .param("scopes", scopes)
                .update();
        await().atMost(Duration.ofSeconds(1))
                .until(() -> http().get("/api/v1/auth/whoami", key).status() == 200);
        return key;
    }

    protected TestHttp http() {
        return TestHttp.localhost(port);
    }

    /** A name no other test uses. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected TestWorker worker(String service, String instanceId) {
        return TestWorker.start(registry().url(), service, instanceId);
    }

    /** Creates a job and returns it; fails unless the answer is 201. */
    protected JsonNode createJob(String json) {
        TestHttp.Response response = http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    protected JsonNode execution(long id) {
        return http().get("/api/v1/executions/" + id, TestApiKeys.READ).json();
    }

    /** Waits until the execution has this status, and returns it. */
    protected JsonNode awaitExecution(long id, String status) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> execution(id).path("status").asString(), status::equals);
        return execution(id);
    }

    /** Triggers a job now and returns the new execution's id. */
    protected long trigger(String jobId) {
        TestHttp.Response response = http().send("POST", "/api/v1/jobs/" + jobId + "/trigger", TestApiKeys.WRITE, null);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().path("executionId").asLong();
    }

    /** The history of a job, newest first. */
    protected JsonNode history(String jobId) {
        return http().get("/api/v1/jobs/" + jobId + "/executions?limit=1000", TestApiKeys.READ)
                .json()
                .path("items");
    }
}
