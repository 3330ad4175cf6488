package dev.baton.client.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.baton.client.BatonClient;
import dev.baton.client.LockServiceFixture;
import dev.baton.lock.LockServiceApplication;
import dev.baton.test.ServiceInstance;
import dev.baton.test.TestApiKeys;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class LockLeaseTest {

    private static final BatonClient client = LockServiceFixture.client("lease-test");

    @AfterAll
    static void closeClient() {
        client.close();
    }

    private static String name() {
        return "client/" + UUID.randomUUID();
    }

    @Test
    void the_watchdog_keeps_a_lease_past_its_ttl_and_others_out() throws InterruptedException {
        String name = name();
        try (LockLease lease = client.locks().acquire(name, Duration.ofMillis(600), Duration.ZERO)) {
            Thread.sleep(2_000);

            assertThat(lease.isValid()).isTrue();
            assertThatExceptionOfType(LockNotGrantedException.class)
                    .isThrownBy(() -> client.locks().acquire(name, Duration.ofSeconds(5), Duration.ZERO));
        }
        try (LockLease next = client.locks().acquire(name, Duration.ofSeconds(5), Duration.ZERO)) {
            assertThat(next.token()).isEqualTo(2);
        }
    }

    @Test
    void a_waiting_acquire_is_granted_when_the_holder_closes() throws Exception {
        String name = name();
        LockLease first = client.locks().acquire(name, Duration.ofSeconds(30), Duration.ZERO);
        Thread releaser = new Thread(() -> {
            sleep(300);
            first.close();
        });
        releaser.start();

        try (LockLease second = client.locks().acquire(name, Duration.ofSeconds(30), Duration.ofSeconds(10))) {
            assertThat(second.token()).isGreaterThan(first.token());
        }
        releaser.join();
    }

    @Test
    void a_lease_granted_after_a_wait_is_valid_for_its_ttl_from_when_the_acquire_was_sent() throws Exception {
        String name = name();
        LockLease holder = client.locks().acquire(name, Duration.ofSeconds(30), Duration.ZERO);
        Thread releaser = new Thread(() -> {
            sleep(1_500);
            holder.close();
        });
        releaser.start();

        long sent = System.nanoTime();
        try (LockLease waited = client.locks()
                .acquire(name, Duration.ofMillis(2_000), Duration.ofSeconds(10), Locks.Mode.EXCLUSIVE, false)) {
            assertThat(waited.isValid()).isTrue();
            sleep(2_100 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));

            // The server's lease ends two seconds after its grant, which came after the request left.
            assertThat(waited.isValid()).isFalse();
        }
        releaser.join();
    }

    @Test
    void a_revoked_lease_fails_closed_at_its_next_renewal() {
        String name = name();
        AtomicInteger lostCalls = new AtomicInteger();
        try (LockLease lease = client.locks().acquire(name, Duration.ofMillis(900), Duration.ZERO)) {
            lease.onLost(lost -> lostCalls.incrementAndGet());

            BatonClient admin = BatonClient.builder()
                    .baseUrl("http://localhost:" + LockServiceFixture.service().port())
                    .apiKey(TestApiKeys.ADMIN)
                    .build();
            admin.http().call("DELETE", "/api/v1/locks/" + name.replace("/", "%2F"), null, Duration.ZERO);
            admin.close();

            await().atMost(Duration.ofSeconds(3)).until(() -> lostCalls.get() == 1);
            assertThat(lease.isValid()).isFalse();
        }
        assertThat(lostCalls.get()).isEqualTo(1);
    }

    @Test
    void a_lease_fails_closed_when_the_lock_service_cannot_be_reached() {
        ServiceInstance doomed = ServiceInstance.start(LockServiceApplication.class);
        BatonClient isolated = LockServiceFixture.client(doomed.port(), "isolated");
        AtomicInteger lostCalls = new AtomicInteger();
        LockLease lease = isolated.locks().acquire(name(), Duration.ofSeconds(1), Duration.ZERO);
        lease.onLost(lost -> lostCalls.incrementAndGet());

        doomed.close();

        await().atMost(Duration.ofSeconds(3)).until(() -> lostCalls.get() == 1);
        assertThat(lease.isValid()).isFalse();
        isolated.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
