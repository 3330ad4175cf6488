package dev.baton.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.ServiceInstance;
import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With {@code BATON_DISCOVERY_URL} set, lock-service registers itself with the registry and leaves it on shutdown. */
class RegistersWithRegistryTest {

    private static List<String> ports(ServiceProcess registry) {
        List<String> ports = new ArrayList<>();
        registry.http()
                .get("/api/v1/registry/services/lock-service/instances", TestApiKeys.READ)
                .json()
                .forEach(instance -> ports.add(instance.path("port").asString()));
        return ports;
    }

    @Test
    void lock_service_registers_on_start_and_deregisters_on_shutdown() {
        try (ServiceProcess registry = ServiceProcess.start("registry")) {
            ServiceInstance lockService = ServiceInstance.start(
                    LockServiceApplication.class,
                    "baton.discovery.url=" + registry.url(),
                    "baton.discovery.api-key=" + TestApiKeys.WRITE,
                    "baton.discovery.host=localhost");
            assertThat(ports(registry)).containsExactly(String.valueOf(lockService.port()));

            lockService.close();
            assertThat(ports(registry)).isEmpty();
        }
    }
}
