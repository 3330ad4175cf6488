package dev.baton.lock.api;

import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the lease engine's database calls off the event loop, on at most as many threads as the
 * pool has connections: a call never waits for a thread while a connection is free, nor holds a
 * thread while it waits for a connection. The threads share one queue, so a call waits only for
 * the first free thread, never behind one that a stalled name holds for up to lock_timeout.
 */
@Component
public class BlockingCalls implements DisposableBean {

    /** The most calls that may wait for a thread; more are refused. */
    private static final int QUEUED_CALLS = 100_000;

    private final Scheduler scheduler;

    BlockingCalls(HikariDataSource dataSource) {
        int threads = dataSource.getMaximumPoolSize();
        AtomicInteger created = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUED_CALLS), call -> {
                    Thread thread = new Thread(call, "lease-call-" + created.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        scheduler = Schedulers.fromExecutorService(executor, "lease-call");
    }

    /** The call's result, computed on a database thread. */
    public <T> Mono<T> call(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(scheduler);
    }

    /**
     * The outcome of a call that answers with a future (a wait for a grant, a blocking query).
     * Cancelling the answer, as the server does when the client goes away, cancels the future.
     */
    public <T> Mono<T> await(Callable<CompletableFuture<T>> call) {
        return call(call).flatMap(future -> Mono.fromFuture(future, false));
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}
