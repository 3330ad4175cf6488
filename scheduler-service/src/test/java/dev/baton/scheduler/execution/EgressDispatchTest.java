package dev.baton.scheduler.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.discovery.RegistryClient;
import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.TestWorker;
import dev.baton.test.TestApiKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the scheduler calls, with the tests' allowlist (loopback): a listed URL, signed as every
 * call is (the worker refuses any other), and no registry instance at a metadata address.
 */
class EgressDispatchTest extends SchedulerTest {

    @Test
    void an_allowlisted_url_target_is_called_with_a_signature_over_its_path_query_headers_and_body() {
        String service = unique("url-worker");
        try (TestWorker worker = worker(service, "u1")) {
            String id = createJob("""
                    {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                     "target": {"url": "http://127.0.0.1:%d/hooks/run?team=a%%20b", "method": "PUT",
                                "body": {"n": 7}}}""".formatted(unique("url-job"), worker.port()))
                    .path("id")
                    .asString();

            JsonNode execution = awaitExecution(trigger(id), "SUCCEEDED");

            assertThat(execution.path("result").asString()).isEqualTo("ok u1");
            assertThat(worker.calls())
                    .singleElement()
                    .satisfies(call -> assertThat(call.body()).isEqualTo("{\"n\":7}"));
        }
    }

    @Test
    void an_instance_the_registry_lists_at_the_metadata_address_is_not_called() {
        String service = unique("metadata-worker");
        RegistryClient registry = new RegistryClient(registry().url(), TestApiKeys.WRITE, Duration.ofSeconds(5));
        registry.register(
                new RegistryClient.RegisteredInstance(service, "m1", "169.254.169.254", 80, false, null, 1, Map.of()),
                Duration.ofMinutes(5));
        try {
            String id = createJob("""
                    {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                     "target": {"service": "%s", "path": "/latest/meta-data/"}, "timeoutMs": 2000}""".formatted(unique("metadata-job"), service))
                    .path("id")
                    .asString();

            JsonNode execution = awaitExecution(trigger(id), "FAILED");

            assertThat(execution.path("error").asString())
                    .contains("refused to call http://169.254.169.254:80")
                    .contains("link-local");
        } finally {
            registry.deregister(service, "m1");
        }
    }
}
