package dev.baton.common.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class BatchWriterTest {

    /** Fails its first batch with an unchecked exception or an error, then records every item it is given. */
    private static final class FailingOnce extends BatchWriter<Integer> {

        final AtomicBoolean failed = new AtomicBoolean();
        final List<Integer> written = new CopyOnWriteArrayList<>();
        private final Throwable failure;

        FailingOnce(Throwable failure) {
            super("test-batch-writer", 10, 0);
            this.failure = failure;
        }

        @Override
        protected void write(List<Integer> batch) {
            if (failed.compareAndSet(false, true)) {
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }
            written.addAll(batch);
        }
    }

    @Test
    void a_batch_that_throws_ends_only_that_batch_and_the_writer_goes_on() {
        goesOnAfter(new IllegalStateException("the first batch fails"));
    }

    @Test
    void a_batch_that_fails_with_an_error_ends_only_that_batch_and_the_writer_goes_on() {
        goesOnAfter(new StackOverflowError("the first batch fails"));
    }

    private static void goesOnAfter(Throwable failure) {
        FailingOnce writer = new FailingOnce(failure);
        writer.start();
        try {
            writer.add(1);
            await().atMost(Duration.ofSeconds(5)).untilTrue(writer.failed);

            writer.add(2);
            writer.add(3);

            await().atMost(Duration.ofSeconds(5)).until(() -> writer.written.size() == 2);
            assertThat(writer.written).containsExactly(2, 3);
        } finally {
            writer.stop();
        }
    }

    /** Records each batch it is given. */
    private static final class Recording extends BatchWriter<Integer> {

        final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

        Recording(int maxBatch, Duration linger) {
            this("test-batch-writer", maxBatch, linger);
        }

        Recording(String threadName, int maxBatch, Duration linger) {
            super(threadName, maxBatch, linger, 0);
        }

        @Override
        protected void write(List<Integer> batch) {
            batches.add(List.copyOf(batch));
        }
    }

    @Test
    void with_a_linger_a_batch_takes_what_arrives_after_its_first_item() throws InterruptedException {
        Recording writer = new Recording(10, Duration.ofMillis(500));
        writer.start();
        try {
            writer.add(1);
            Thread.sleep(100);
            writer.add(2);
            Thread.sleep(100);
            writer.add(3);

            await().atMost(Duration.ofSeconds(5)).until(() -> !writer.batches.isEmpty());
            assertThat(writer.batches).containsExactly(List.of(1, 2, 3));
        } finally {
            writer.stop();
        }
    }

    @Test
    void a_full_batch_goes_without_waiting_out_its_linger() {
        Recording writer = new Recording(3, Duration.ofSeconds(30));
        writer.start();
        try {
            for (int item = 1; item <= 4; item++) {
                writer.add(item);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> !writer.batches.isEmpty());
            assertThat(writer.batches.get(0)).containsExactly(1, 2, 3);
        } finally {
            writer.stop();
        }
        assertThat(writer.batches).containsExactly(List.of(1, 2, 3), List.of(4));
    }

    /**
     * Items added while a batch lingers cost their callers no wake-up of the writer: the writer's
     * thread, found by its name in {@code /proc}, makes no more voluntary context switches than its
     * own timed sleeps while 200 items arrive, 1 ms apart.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void items_added_while_a_batch_lingers_do_not_wake_the_writer() throws Exception {
        Recording writer = new Recording("linger-wakes", 1000, Duration.ofSeconds(3));
        writer.start();
        try {
            writer.add(0);
            Path thread =
                    await().atMost(Duration.ofSeconds(5)).until(() -> threadNamed("linger-wakes"), t -> t != null);
            Thread.sleep(50);
            long before = voluntarySwitches(thread);
            for (int item = 1; item <= 200; item++) {
                writer.add(item);
                Thread.sleep(1);
            }
            long switches = voluntarySwitches(thread) - before;

            assertThat(switches)
                    .as("the writer's wake-ups while 200 items arrived")
                    .isLessThan(20);
            await().atMost(Duration.ofSeconds(10)).until(() -> !writer.batches.isEmpty());
            assertThat(writer.batches.get(0)).hasSize(201);
        } finally {
            writer.stop();
        }
    }

    private static Path threadNamed(String name) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                    return task;
                }
            }
        }
        return null;
    }

    private static long voluntarySwitches(Path thread) throws IOException {
        return Files.readAllLines(thread.resolve("status")).stream()
                .filter(line -> line.startsWith("voluntary_ctxt_switches:"))
                .mapToLong(line ->
                        Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
                .findFirst()
                .orElseThrow();
    }
}
