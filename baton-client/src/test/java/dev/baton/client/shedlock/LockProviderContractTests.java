package dev.baton.client.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every ShedLock {@link LockProvider} must do, written after ShedLock's own provider tests:
 * a backend's test extends this class and supplies the provider. A backend may hold a lock
 * longer than asked (its shortest lock time), never shorter: the durations under 100 ms check
 * that such a lock is granted, ends, and is never free before {@code lockAtLeastFor}.
 */
public abstract class LockProviderContractTests {

    private String name;

    protected abstract LockProvider provider();

    @BeforeEach
    void newName() {
        name = "contract-" + UUID.randomUUID();
    }

    private Optional<SimpleLock> lock(Duration atMost, Duration atLeast) {
        return provider().lock(new LockConfiguration(Instant.now(), name, atMost, atLeast));
    }

    private Optional<SimpleLock> lock() {
        return lock(Duration.ofSeconds(30), Duration.ZERO);
    }

    @Test
    void a_free_lock_is_granted() {
        assertThat(lock()).isPresent();
    }

    @Test
    void a_held_lock_is_not_granted_again() {
        assertThat(lock()).isPresent();

        assertThat(lock()).isEmpty();
    }

    @Test
    void an_unlocked_lock_is_granted_again() {
        lock().orElseThrow().unlock();

        assertThat(lock()).isPresent();
    }

    @Test
    void a_lock_expires_after_lock_at_most_for() throws InterruptedException {
        assertThat(lock(Duration.ofMillis(300), Duration.ZERO)).isPresent();

        Thread.sleep(600);

        assertThat(lock()).isPresent();
    }

    @Test
    void an_early_unlock_keeps_the_lock_until_lock_at_least_for() throws InterruptedException {
        lock(Duration.ofSeconds(30), Duration.ofSeconds(1)).orElseThrow().unlock();

        assertThat(lock()).isEmpty();
        Thread.sleep(1_300);
        assertThat(lock()).isPresent();
    }

    @Test
    void an_extended_lock_outlives_its_first_lock_at_most_for() throws InterruptedException {
        SimpleLock first = lock(Duration.ofMillis(500), Duration.ZERO).orElseThrow();

        Optional<SimpleLock> extended = first.extend(Duration.ofSeconds(5), Duration.ZERO);
        Thread.sleep(800);

        assertThat(extended).isPresent();
        assertThat(lock()).isEmpty();
        extended.get().unlock();
        assertThat(lock()).isPresent();
    }

    @Test
    void an_unlocked_lock_cannot_be_extended_or_unlocked_again() {
        SimpleLock lock = lock().orElseThrow();
        lock.unlock();

        assertThatIllegalStateException().isThrownBy(() -> lock.extend(Duration.ofSeconds(5), Duration.ZERO));
        assertThatIllegalStateException().isThrownBy(lock::unlock);
    }

    @Test
    void an_expired_lock_cannot_be_extended() throws InterruptedException {
        SimpleLock lock = lock(Duration.ofMillis(200), Duration.ZERO).orElseThrow();
        Thread.sleep(400);

        assertThat(lock.extend(Duration.ofSeconds(5), Duration.ZERO)).isEmpty();
    }

    /** How long a lock may take to become free once it should be: the backend's shortest lock time and more. */
    private static final Duration FREED_WITHIN = Duration.ofSeconds(3);

    private boolean grantedAgain() {
        Optional<SimpleLock> lock = lock();
        lock.ifPresent(SimpleLock::unlock);
        return lock.isPresent();
    }

    @ParameterizedTest(name = "lockAtMostFor {0} ms")
    @ValueSource(longs = {1, 50, 99})
    void a_lock_at_most_for_under_100_ms_is_granted_and_then_expires(long millis) {
        assertThat(lock(Duration.ofMillis(millis), Duration.ZERO)).isPresent();

        await().atMost(FREED_WITHIN).until(this::grantedAgain);
    }

    @ParameterizedTest(name = "lockAtLeastFor {0} ms")
    @ValueSource(longs = {1, 50, 99})
    void an_early_unlock_keeps_the_lock_for_a_lock_at_least_for_under_100_ms(long millis) {
        long started = System.nanoTime();
        lock(Duration.ofSeconds(30), Duration.ofMillis(millis)).orElseThrow().unlock();

        await().atMost(FREED_WITHIN).pollInterval(Duration.ofMillis(5)).until(this::grantedAgain);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "lockAtMostFor and lockAtLeastFor {0} ms")
    @ValueSource(longs = {1, 50, 99})
    void an_early_unlock_keeps_the_lock_for_a_lock_at_least_for_as_long_as_lock_at_most_for(long millis) {
        long started = System.nanoTime();
        lock(Duration.ofMillis(millis), Duration.ofMillis(millis)).orElseThrow().unlock();

        await().atMost(FREED_WITHIN).pollInterval(Duration.ofMillis(5)).until(this::grantedAgain);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void a_lock_at_least_for_longer_than_lock_at_most_for_never_reaches_a_provider() {
        assertThatIllegalArgumentException().isThrownBy(() -> lock(Duration.ofMillis(50), Duration.ofMillis(99)));
    }

    @ParameterizedTest(name = "extend to {0} ms")
    @ValueSource(longs = {1, 50, 99})
    void a_lock_extended_to_under_100_ms_is_extended_and_then_expires(long millis) {
        SimpleLock lock = lock().orElseThrow();

        Optional<SimpleLock> extended = lock.extend(Duration.ofMillis(millis), Duration.ZERO);

        assertThat(extended).isPresent();
        await().atMost(FREED_WITHIN).until(this::grantedAgain);
    }

    @Test
    void a_lock_extended_with_a_lock_at_least_for_under_100_ms_keeps_it_after_an_unlock() {
        long started = System.nanoTime();
        SimpleLock extended = lock().orElseThrow()
                .extend(Duration.ofSeconds(30), Duration.ofMillis(80))
                .orElseThrow();

        extended.unlock();

        await().atMost(FREED_WITHIN).pollInterval(Duration.ofMillis(5)).until(this::grantedAgain);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }

    @Test
    void an_expired_lock_of_1_ms_cannot_be_extended() {
        SimpleLock lock = lock(Duration.ofMillis(1), Duration.ZERO).orElseThrow();
        await().atMost(FREED_WITHIN).until(this::grantedAgain);

        assertThat(lock.extend(Duration.ofSeconds(5), Duration.ZERO)).isEmpty();
        assertThat(grantedAgain()).isTrue();
    }

    /** Reads and writes without synchronisation: only the lock keeps the count exact. */
    private static final class UnguardedCounter {
        int value;
    }

    @Test
    void eight_threads_incrementing_under_the_lock_lose_no_update() throws Exception {
        int threads = 8;
        int iterations = 25;
        UnguardedCounter counter = new UnguardedCounter();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = 0; i < iterations; i++) {
                    Optional<SimpleLock> lock;
                    while ((lock = lock()).isEmpty()) {
                        Thread.sleep(1);
                    }
                    int seen = counter.value;
                    Thread.yield();
                    counter.value = seen + 1;
                    lock.get().unlock();
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        assertThat(counter.value).isEqualTo(threads * iterations);
    }
}
