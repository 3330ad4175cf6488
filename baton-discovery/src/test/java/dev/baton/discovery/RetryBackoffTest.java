package dev.baton.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A registry that fails, as a real HTTP server answering 503: watches and heartbeats try again
 * after waits that grow with each failure in a row, not at a fixed pace.
 */
class RetryBackoffTest {

    private HttpServer server;
    private final List<Long> watches = new ArrayList<>();
    private final List<Long> heartbeats = new ArrayList<>();

    @BeforeEach
    void startAFailingRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            int status = 503;
            synchronized (this) {
                if (exchange.getRequestMethod().equals("GET")) {
                    watches.add(System.nanoTime());
                } else if (path.endsWith("/heartbeat")) {
                    heartbeats.add(System.nanoTime());
                } else {
                    status = 200;
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopTheRegistry() {
        server.stop(0);
    }

    private RegistryClient registry() {
        return new RegistryClient("http://localhost:" + server.getAddress().getPort(), null, Duration.ofSeconds(2));
    }

    /** The waits between successive requests, in milliseconds. */
    private synchronized List<Long> gaps(List<Long> arrivals) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < arrivals.size(); i++) {
            gaps.add(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1)).toMillis());
        }
        return gaps;
    }

    private synchronized int count(List<Long> arrivals) {
        return arrivals.size();
    }

    @Test
    void a_watch_of_a_failing_registry_waits_longer_after_each_failure_in_a_row() {
        try (InstanceWatch watch = new InstanceWatch("billing", registry())) {
            assertThat(watch.current()).isEmpty();

            await().atMost(Duration.ofSeconds(10)).until(() -> count(watches) >= 4);
        }

        List<Long> gaps = gaps(watches).subList(0, 3);
        assertThat(gaps.get(0)).isBetween(250L, 700L);
        assertThat(gaps.get(1)).isBetween(500L, 1_200L);
        assertThat(gaps.get(2)).isBetween(1_000L, 2_200L);
    }

    @Test
    void a_heartbeat_the_registry_refuses_is_tried_again_sooner_than_the_interval_then_later_each_time() {
        BatonServiceRegistry serviceRegistry =
                new BatonServiceRegistry(registry(), Duration.ofSeconds(30), Duration.ofSeconds(2));
        serviceRegistry.register(new BatonServiceInstance(new RegistryClient.RegisteredInstance(
                "billing", "billing-1", "localhost", 8080, false, null, 1, Map.of())));

        await().atMost(Duration.ofSeconds(12)).until(() -> count(heartbeats) >= 5);
        serviceRegistry.close();

        List<Long> gaps = gaps(heartbeats).subList(0, 4);
        assertThat(gaps.get(0)).isBetween(250L, 700L);
        assertThat(gaps.get(1)).isBetween(500L, 1_200L);
        assertThat(gaps.get(2)).isBetween(1_000L, 2_200L);
        assertThat(gaps.get(3)).isBetween(1_000L, 2_200L);
    }
}
