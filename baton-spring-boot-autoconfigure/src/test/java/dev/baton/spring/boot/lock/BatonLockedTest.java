package dev.baton.spring.boot.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.lock.LockLease;
import dev.baton.client.lock.LockNotGrantedException;
import dev.baton.spring.boot.BatonAutoConfiguration;
import dev.baton.spring.boot.BatonLockedAutoConfiguration;
import dev.baton.spring.boot.TestLockService;
import dev.baton.test.TestApiKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code @BatonLocked} methods of two applications, on a real lock-service. */
class BatonLockedTest {

    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        first = application("first");
        second = application("second");
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @Test
    void the_lease_is_held_for_the_methods_duration_and_excludes_across_two_applications() throws Exception {
        Counter.reset();
        List<Counter> counters = List.of(first.getBean(Counter.class), second.getBean(Counter.class));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            Counter counter = counters.get(thread % 2);
            done.add(threads.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    counter.increment("shared");
                }
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get(60, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(Counter.value).isEqualTo(200);
        assertThat(Counter.mostInside.get()).isEqualTo(1);
        assertThat(Counter.tokens).hasSize(200).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void the_name_is_the_expression_over_the_arguments_and_the_lease_is_released_on_return() {
        Counter counter = first.getBean(Counter.class);

        assertThat(counter.leaseName("orders-42")).isEqualTo("counters/orders-42");
        assertThat(second.getBean(Counter.class).leaseName("orders-42")).isEqualTo("counters/orders-42");
        assertThatThrownBy(BatonLocks::currentLease).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_lock_held_by_the_other_application_beyond_the_wait_keeps_the_method_from_running() throws Exception {
        Slow slow = first.getBean(Slow.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<?> holding = thread.submit(() -> slow.holdUntil("held", entered, leave));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean ran = new AtomicBoolean();

        assertThatThrownBy(() -> second.getBean(Slow.class).tryOnce("held", ran))
                .isInstanceOf(LockNotGrantedException.class);
        assertThat(ran).isFalse();
        leave.countDown();
        holding.get(10, TimeUnit.SECONDS);
        thread.shutdown();
    }

    @Test
    void a_force_released_lease_interrupts_the_method_and_the_call_ends_in_lease_lost() throws Exception {
        Slow slow = first.getBean(Slow.class);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Boolean> call = thread.submit(() -> {
            try {
                slow.sleepInterruptibly("interrupted", entered, interrupted);
                return false;
            } catch (LeaseLostException lost) {
                return !Thread.currentThread().isInterrupted();
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        forceRelease("slow/interrupted");

        assertThat(call.get(10, TimeUnit.SECONDS))
                .as("lease lost, flag cleared")
                .isTrue();
        assertThat(interrupted).isTrue();
        thread.shutdown();
    }

    @Test
    void a_force_released_lease_lets_a_fail_method_finish_and_then_ends_the_call_in_lease_lost() throws Exception {
        Slow slow = first.getBean(Slow.class);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<?> call = thread.submit(() -> {
            slow.runToEnd("failed", entered, finished);
            return null;
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        forceRelease("slow/failed");

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(LeaseLostException.class)
                .cause()
                .hasMessageContaining("slow/failed");
        assertThat(finished).as("ran to its end, not interrupted").isTrue();
        thread.shutdown();
    }

    private static void forceRelease(String name) {
        assertThat(TestLockService.get()
                        .http()
                        .send("DELETE", "/api/v1/locks/" + name.replace("/", "%2F"), TestApiKeys.ADMIN, null)
                        .status())
                .isBetween(200, 299);
    }

    private static ConfigurableApplicationContext application(String owner) {
        return new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.config.name=baton-application-test",
                        "--baton.url=" + TestLockService.url(),
                        "--baton.api-key=" + TestApiKeys.WRITE,
                        "--baton.owner=" + owner);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        AopAutoConfiguration.class,
        BatonAutoConfiguration.class,
        BatonLockedAutoConfiguration.class
    })
    static class Application {

        @Bean
        Counter counter() {
            return new Counter();
        }

        @Bean
        Slow slow() {
            return new Slow();
        }
    }

    /** A counter shared by both applications, read and written without synchronisation. */
    static class Counter {

        static int value;
        static final AtomicInteger inside = new AtomicInteger();
        static final AtomicInteger mostInside = new AtomicInteger();
        static final List<Long> tokens = new ArrayList<>();

        static void reset() {
            value = 0;
            inside.set(0);
            mostInside.set(0);
            tokens.clear();
        }

        @BatonLocked(name = "'counters/' + #name", ttl = "10s", waitFor = "30s")
        public void increment(String name) {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            tokens.add(BatonLocks.currentLease().token());
            int read = value;
            Thread.yield();
            value = read + 1;
            inside.decrementAndGet();
        }

        @BatonLocked(name = "'counters/' + #p0")
        public String leaseName(String name) {
            LockLease lease = BatonLocks.currentLease();
            assertThat(lease.isValid()).isTrue();
            return lease.name();
        }
    }

    static class Slow {

        @BatonLocked(name = "'slow/' + #name", ttl = "10s")
        public void holdUntil(String name, CountDownLatch entered, CountDownLatch leave) {
            entered.countDown();
            try {
                leave.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @BatonLocked(name = "'slow/' + #name", waitFor = "0s")
        public void tryOnce(String name, AtomicBoolean ran) {
            ran.set(true);
        }

        /** Waits for its thread's interrupt without clearing the flag, as code that only checks it does. */
        @BatonLocked(name = "'slow/' + #name", ttl = "1500ms", onLost = BatonLocked.OnLost.INTERRUPT)
        public void sleepInterruptibly(String name, CountDownLatch entered, AtomicBoolean interrupted) {
            entered.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            interrupted.set(Thread.currentThread().isInterrupted());
        }

        @BatonLocked(name = "'slow/' + #name", ttl = "1500ms", onLost = BatonLocked.OnLost.FAIL)
        public void runToEnd(String name, CountDownLatch entered, AtomicBoolean finished) throws InterruptedException {
            entered.countDown();
            Thread.sleep(3_000);
            finished.set(true);
        }
    }
}
