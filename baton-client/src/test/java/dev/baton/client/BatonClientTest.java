package dev.baton.client;

import static dev.baton.client.ScriptedProxy.Step.ANSWER_503;
import static dev.baton.client.ScriptedProxy.Step.ANSWER_503_RETRY_AFTER_1_S;
import static dev.baton.client.ScriptedProxy.Step.FORWARD;
import static dev.baton.client.ScriptedProxy.Step.FORWARD_THEN_502;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.baton.client.lock.LockLease;
import dev.baton.client.lock.Locks;
import dev.baton.http.Backoff;
import dev.baton.http.BatonException;
import dev.baton.test.TestApiKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@link BatonClient} sends over real HTTP: through a {@link ScriptedProxy} that loses
 * answers or answers 503 in front of a real lock-service, and to ports where nothing listens.
 */
class BatonClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final BatonClient inspector = LockServiceFixture.client("client-test-inspector");

    private final ScriptedProxy proxy = ScriptedProxy.toLockService();

    @AfterEach
    void stopTheProxy() {
        proxy.close();
    }

    @AfterAll
    static void closeTheInspector() {
        inspector.close();
    }

    private static BatonClient.Builder clientOn(int port) {
        return BatonClient.builder()
                .baseUrl("http://localhost:" + port)
                .apiKey(TestApiKeys.WRITE)
                .owner("client-test")
                .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)));
    }

    private static String name() {
        return "client/" + UUID.randomUUID();
    }

    private static JsonNode inspect(String name) {
        return inspector.http().call("GET", "/api/v1/locks/" + name.replace("/", "%2F"), null, Duration.ZERO);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    @Test
    void an_acquire_whose_answers_are_lost_is_sent_again_with_its_request_id_and_takes_one_lease() {
        String name = name();
        proxy.then(FORWARD_THEN_502, FORWARD_THEN_502);
        try (BatonClient client = clientOn(proxy.port()).maxAttempts(4).build()) {

            LockLease lease =
                    client.locks().acquire(name, Duration.ofSeconds(30), Duration.ZERO, Locks.Mode.EXCLUSIVE, false);

            List<ScriptedProxy.Received> sent = proxy.received();
            assertThat(sent)
                    .hasSize(3)
                    .allSatisfy(request -> assertThat(request.method()).isEqualTo("POST"));
            String requestId =
                    JSON.readTree(sent.get(0).body()).path("requestId").asString();
            assertThat(requestId).isNotBlank();
            assertThat(sent)
                    .extracting(request ->
                            JSON.readTree(request.body()).path("requestId").asString())
                    .containsOnly(requestId);
            JsonNode lock = inspect(name);
            assertThat(lock.path("holders")).hasSize(1);
            assertThat(lock.path("lastToken").asLong()).isEqualTo(1).isEqualTo(lease.token());
        }
    }

    @Test
    void a_503_is_sent_again_no_sooner_than_its_retry_after() {
        proxy.then(ANSWER_503_RETRY_AFTER_1_S);
        try (BatonClient client = clientOn(proxy.port()).build()) {

            client.locks().acquire(name(), Duration.ofSeconds(30), Duration.ZERO, Locks.Mode.EXCLUSIVE, false);

            List<ScriptedProxy.Received> sent = proxy.received();
            assertThat(sent).hasSize(2);
            assertThat(Duration.ofNanos(sent.get(1).atNanos() - sent.get(0).atNanos()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void a_renewal_and_a_release_are_sent_again_after_a_503_and_a_lost_answer() {
        String name = name();
        try (BatonClient client = clientOn(proxy.port()).build()) {
            LockLease lease =
                    client.locks().acquire(name, Duration.ofSeconds(30), Duration.ZERO, Locks.Mode.EXCLUSIVE, false);

            proxy.then(ANSWER_503, FORWARD);
            lease.renew(Duration.ofSeconds(20));
            proxy.then(FORWARD_THEN_502);
            lease.close();

            assertThat(proxy.received())
                    .extracting(ScriptedProxy.Received::method)
                    .containsExactly("POST", "PUT", "PUT", "DELETE", "DELETE");
            assertThat(inspect(name).path("holders")).isEmpty();
        }
    }

    @Test
    void a_call_answered_503_every_time_is_sent_max_attempts_times() {
        String name = name();
        proxy.then(ANSWER_503, ANSWER_503, ANSWER_503, ANSWER_503, ANSWER_503);
        try (BatonClient client = clientOn(proxy.port()).maxAttempts(3).build()) {

            assertThatExceptionOfType(BatonException.class)
                    .isThrownBy(() -> client.locks().acquire(name, Duration.ofSeconds(30), Duration.ZERO))
                    .satisfies(e -> assertThat(e.status()).isEqualTo(503));

            assertThat(proxy.received()).hasSize(3);
            assertThat(inspect(name).path("lastToken").asLong()).isZero();
        }
    }

    @Test
    void a_retry_after_past_the_calls_deadline_ends_the_call_at_once() {
        proxy.then(ANSWER_503_RETRY_AFTER_1_S);
        try (BatonClient client =
                clientOn(proxy.port()).requestTimeout(Duration.ofMillis(500)).build()) {
            long started = System.nanoTime();

            assertThatExceptionOfType(BatonException.class)
                    .isThrownBy(() -> client.locks().acquire(name(), Duration.ofSeconds(30), Duration.ZERO))
                    .satisfies(e -> assertThat(e.status()).isEqualTo(503));

            assertThat(since(started)).isLessThan(Duration.ofMillis(500));
            assertThat(proxy.received()).hasSize(1);
        }
    }

    @Test
    void a_post_without_a_request_id_whose_answer_is_lost_is_not_sent_again() {
        String name = name();
        proxy.then(FORWARD_THEN_502);
        try (BatonClient client = clientOn(proxy.port()).build()) {

            assertThatExceptionOfType(BatonException.class)
                    .isThrownBy(() -> client.http()
                            .call(
                                    "POST",
                                    "/api/v1/locks/" + name.replace("/", "%2F") + "/leases",
                                    Map.of("owner", "once", "ttlMs", 30_000),
                                    Duration.ZERO))
                    .satisfies(e -> assertThat(e.status()).isEqualTo(502));

            assertThat(proxy.received()).hasSize(1);
            assertThat(inspect(name).path("holders")).hasSize(1);
        }
    }

    @Test
    void a_refused_connection_is_tried_again_until_a_server_listens_even_for_a_call_not_safe_to_repeat()
            throws Exception {
        String name = name();
        int port = freePort();
        Thread opener = new Thread(() -> {
            sleep(300);
            ScriptedProxy late = ScriptedProxy.toLockServiceOn(port);
            sleep(5_000);
            late.close();
        });
        try (BatonClient client = clientOn(port).maxAttempts(100).build()) {
            long started = System.nanoTime();
            opener.start();

            JsonNode lease = client.http()
                    .call(
                            "POST",
                            "/api/v1/locks/" + name.replace("/", "%2F") + "/leases",
                            Map.of("owner", "once", "ttlMs", 30_000),
                            Duration.ZERO);

            assertThat(since(started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(lease.path("token").asLong()).isEqualTo(1);
            assertThat(inspect(name).path("holders")).hasSize(1);
        } finally {
            opener.join();
        }
    }

    @Test
    void refused_connections_are_tried_again_only_until_the_calls_deadline() throws IOException {
        int port = freePort();
        try (BatonClient client = clientOn(port)
                .maxAttempts(1_000)
                .requestTimeout(Duration.ofMillis(500))
                .build()) {
            long started = System.nanoTime();

            assertThatExceptionOfType(BatonException.class)
                    .isThrownBy(() -> client.locks().acquire(name(), Duration.ofSeconds(30), Duration.ZERO))
                    .satisfies(e -> assertThat(e.status()).isZero());

            assertThat(since(started)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(2));
        }
    }

    @Test
    void a_closed_client_refuses_every_call_before_sending_it() {
        String held = name();
        String other = name();
        BatonClient client = clientOn(proxy.port()).build();
        LockLease lease =
                client.locks().acquire(held, Duration.ofSeconds(30), Duration.ZERO, Locks.Mode.EXCLUSIVE, false);
        String expiresAt =
                inspect(held).path("holders").get(0).path("expiresAt").asString();

        client.close();

        assertThatIllegalStateException()
                .isThrownBy(() -> client.locks().acquire(other, Duration.ofSeconds(30), Duration.ZERO));
        assertThatIllegalStateException().isThrownBy(() -> lease.renew(Duration.ofSeconds(60)));
        assertThatIllegalStateException()
                .isThrownBy(() ->
                        client.http().call("GET", "/api/v1/locks/" + other.replace("/", "%2F"), null, Duration.ZERO));
        assertThat(proxy.received()).hasSize(1);
        assertThat(inspect(other).path("lastToken").asLong()).isZero();
        assertThat(inspect(held).path("holders").get(0).path("expiresAt").asString())
                .isEqualTo(expiresAt);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
