package dev.baton.common.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Writes items in batches, as PostgreSQL groups commits: one writer thread takes every item that
 * arrived while the previous batch was written and hands them to {@link #write(List)} together,
 * for one round trip and one commit. Without a linger a lone item goes at once, and under load an
 * item waits at most for one batch. With one, a batch also takes what arrives within the linger
 * after its first item, for writes that nobody waits for and whose count costs more than their
 * delay. On stop the thread writes what is queued, then ends.
 *
 * @param <T> what is written
 */
public abstract class BatchWriter<T> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
    private static final long STOP_WAIT_SECONDS = 30;
    /** How long the writer waits for an item before it looks whether it is to stop. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final String threadName;
    private final int maxBatch;
    private final long lingerNanos;
    private final int phase;
    private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private volatile Thread writer;

    /**
     * @param threadName the writer thread's name
     * @param maxBatch the most items one batch holds
     * @param phase the lifecycle phase: start before, and stop after, whatever adds items
     */
    protected BatchWriter(String threadName, int maxBatch, int phase) {
        this(threadName, maxBatch, Duration.ZERO, phase);
    }

    /**
     * @param threadName the writer thread's name
     * @param maxBatch the most items one batch holds
     * @param linger how long a batch waits after its first item for more, unless it is full or the
     *        writer stops
     * @param phase the lifecycle phase: start before, and stop after, whatever adds items
     */
    protected BatchWriter(String threadName, int maxBatch, Duration linger, int phase) {
        this.threadName = threadName;
        this.maxBatch = maxBatch;
        this.lingerNanos = linger.toNanos();
        this.phase = phase;
    }

    /** Queues an item for the next batch; wakes a lingering writer only once a batch is full. */
    public void add(T item) {
        queue.add(item);
        Thread lingering = writer;
        if (lingerNanos > 0 && lingering != null && queue.size() >= maxBatch) {
            LockSupport.unpark(lingering);
        }
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
                T first = queue.poll(POLL_NANOS, TimeUnit.NANOSECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                linger(batch);
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

    /**
     * Adds to the batch what arrived within the linger after its first item, or until a batch is
     * full or the writer stops. The writer sleeps through the linger instead of taking each item
     * as it comes: an item added meanwhile costs its caller no wake-up of the writer.
     */
    private void linger(List<T> batch) throws InterruptedException {
        long until = System.nanoTime() + lingerNanos;
        for (long left = lingerNanos;
                left > 0 && batch.size() + queue.size() < maxBatch && running;
                left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, Math.min(left, POLL_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        queue.drainTo(batch, maxBatch - batch.size());
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
        LockSupport.unpark(writer);
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
