package dev.baton.common.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

    /** Fails its first batch with an unchecked exception, then records every item it is given. */
    private static final class FailingOnce extends BatchWriter<Integer> {

        final AtomicBoolean failed = new AtomicBoolean();
        final List<Integer> written = new CopyOnWriteArrayList<>();

        FailingOnce() {
            super("test-batch-writer", 10, 0);
        }

        @Override
        protected void write(List<Integer> batch) {
            if (failed.compareAndSet(false, true)) {
                throw new IllegalStateException("the first batch fails");
            }
            written.addAll(batch);
        }
    }

    @Test
    void a_batch_that_throws_ends_only_that_batch_and_the_writer_goes_on() {
        FailingOnce writer = new FailingOnce();
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
}
