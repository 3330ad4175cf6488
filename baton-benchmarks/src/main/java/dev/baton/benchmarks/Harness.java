package dev.baton.benchmarks;

import dev.baton.test.TestApiKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/** What every benchmark shares: settings from the environment, timed phases of many clients, HTTP calls. */
final class Harness {

    private Harness() {
    }

    /** One client's operation; {@code i} counts the client's operations. */
    interface Operation {
        void run(int client, long i) throws Exception;
    }

    /**
     * What a phase measured.
     *
     * @param name the phase
     * @param operations operations completed in the measured window
     * @param seconds the measured window
     * @param latency each operation's latency, in microseconds
     */
    record Result(String name, long operations, double seconds, Histogram latency) {

        double throughput() {
            return operations / seconds;
        }

        double p99Millis() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }

        String line() {
            return String.format(Locale.ROOT, "%-48s %10.0f/s %9.2f ms %9.2f ms %9.2f ms", name, throughput(),
                    latency.getValueAtPercentile(50) / 1000.0, p99Millis(), latency.getMaxValue() / 1000.0);
        }

        static String header() {
            return String.format("%n%-48s %12s %12s %12s %12s", "phase", "throughput", "p50", "p99", "max");
        }
    }

    static Histogram histogram() {
        return new Histogram(60_000_000L, 3);
    }

    /** Runs {@code operation} on every client until the phase ends; records the measured window only. */
    static Result phase(String name, int clients, Duration warmup, Duration measure, Operation operation)
            throws InterruptedException {
        System.out.printf("  %s: warming up %d s, measuring %d s...%n", name, warmup.toSeconds(), measure.toSeconds());
        AtomicBoolean recording = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        long[] counts = new long[clients];
        Histogram[] perClient = new Histogram[clients];
        CountDownLatch done = new CountDownLatch(clients);
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            perClient[c] = histogram();
            Thread thread = new Thread(() -> {
                try {
                    for (long i = 0; !stop.get(); i++) {
                        long start = System.nanoTime();
                        operation.run(client, i);
                        if (recording.get()) {
                            perClient[client].recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                            counts[client]++;
                        }
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + c);
            thread.start();
        }
        Thread.sleep(warmup.toMillis());
        recording.set(true);
        long started = System.nanoTime();
        Thread.sleep(measure.toMillis());
        recording.set(false);
        double seconds = (System.nanoTime() - started) / 1e9;
        stop.set(true);
        done.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(name + " failed", failures.get(0));
        }
        Histogram latency = histogram();
        long operations = 0;
        for (int c = 0; c < clients; c++) {
            latency.add(perClient[c]);
            operations += counts[c];
        }
        Result result = new Result(name, operations, seconds, latency);
        System.out.println("    " + result.line().trim());
        return result;
    }

    /**
     * One request with a WRITE key over {@link HttpURLConnection}, whose pooled keep-alive
     * connections cost the client less CPU than {@code java.net.http}: on two shared cores, what
     * the client spends is taken from the service under test.
     */
    static String send(String method, String url, String json) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setRequestProperty("Authorization", "Bearer " + TestApiKeys.WRITE);
        connection.setReadTimeout(360_000);
        if (json != null) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status >= 400) {
                throw new IllegalStateException(method + " " + url + " answered " + status + ": " + answer);
            }
            return answer;
        }
    }

    /** The response's {@code X-Baton-Index} along with its body. */
    record Indexed(long index, String body) {
    }

    static Indexed get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + TestApiKeys.READ);
        connection.setReadTimeout(360_000);
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status >= 400) {
                throw new IllegalStateException("GET " + url + " answered " + status + ": " + answer);
            }
            return new Indexed(Long.parseLong(connection.getHeaderField("X-Baton-Index")), answer);
        }
    }

    /** JVM options for the service processes under test: {@code BENCH_SERVICE_JAVA_OPTS}, none by default. */
    static List<String> serviceJavaOptions() {
        String value = System.getenv("BENCH_SERVICE_JAVA_OPTS");
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
