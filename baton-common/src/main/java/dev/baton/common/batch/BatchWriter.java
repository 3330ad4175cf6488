package dev.baton.common.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Writes items in batches, as PostgreSQL groups commits: one writer thread takes every item that
 * arrived while the previous batch was written and hands them to {@link #write(List)} together,
 * for one round trip and one commit. A lone item goes at once; under load an item waits at most
 * for one batch. On stop the thread writes what is queued, then ends.
 *
 * @param <T> what is written
 */
public abstract class BatchWriter<T> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
    private static final long STOP_WAIT_SECONDS = 30;

    private final String threadName;
    private final int maxBatch;
    private final int phase;
    private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    /**
     * @param threadName the writer thread's name
     * @param maxBatch the most items one batch holds
     * @param phase the lifecycle phase: start before, and stop after, whatever adds items
     */
    protected BatchWriter(String threadName, int maxBatch, int phase) {
        this.threadName = threadName;
        this.maxBatch = maxBatch;
        this.phase = phase;
    }

    /** Queues an item for the next batch. */
    public void add(T item) {
        queue.add(item);
    }

    /**
     * Writes one batch, on the writer thread. An exception or error it throws ends only this
     * batch, whose items are dropped: retrying them is the subclass's business.
     */
    protected abstract void write(List<T> batch) throws InterruptedException;

    private void run() {
        List<T> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                T first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Whatever a batch throws ends that batch, never the writer: every later item still goes.
                log.error(
                        "{} failed to write a batch of {} item(s); they are dropped, the writer goes on",
                        threadName,
                        batch.size(),
                        e);
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Stops after writing what is queued, waiting for it at most 30 seconds. */
    @Override
    public void stop() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
