package dev.baton.benchmarks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The scheduler benchmarks' worker: an HTTP server in this harness that answers every call 200
 * with no body at once, and then tells its listener when the call arrived and when it began
 * to send the answer. Its threads do nothing else, so that a call waits for no other call's listener.
 */
final class BenchWorker implements AutoCloseable {

    /**
     * A call the worker answered.
     *
     * @param arrivedAt the wall-clock time the call arrived
     * @param arrivedNanos the same moment on {@link System#nanoTime()}
     * @param answeredNanos when it began to send the answer, on {@link System#nanoTime()}
     */
    record Call(Headers headers, Instant arrivedAt, long arrivedNanos, long answeredNanos) {}

    /** Told of every call, on the thread that answered it. */
    interface Listener {
        void answered(Call call);
    }

    private final HttpServer server;
    private final ExecutorService threads;

    private BenchWorker(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts a worker on a free port of the loopback interface with {@code threads} threads answering calls. */
    static BenchWorker start(int threads, Listener listener) throws IOException {
        // The JDK's server closes idle keep-alive connections beyond 200, under the scheduler's feet.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.createContext("/", exchange -> {
            long arrivedNanos = System.nanoTime();
            Instant arrivedAt = Instant.now();
            long answeredNanos;
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                answeredNanos = System.nanoTime();
                exchange.sendResponseHeaders(200, -1);
            }
            listener.answered(new Call(exchange.getRequestHeaders(), arrivedAt, arrivedNanos, answeredNanos));
        });
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        server.setExecutor(executor);
        server.start();
        return new BenchWorker(server, executor);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
