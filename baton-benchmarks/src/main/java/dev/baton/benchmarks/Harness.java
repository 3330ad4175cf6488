package dev.baton.benchmarks;

import dev.baton.test.TestApiKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/** What every benchmark shares: settings from the environment, timed phases of many clients, HTTP calls. */
final class Harness {

    /** How often a long warm-up says how it goes. */
    private static final Duration PROGRESS = Duration.ofSeconds(20);

    /** The container images' JVM flags, as the jib-maven-plugin configuration of the root pom sets them. */
    static final List<String> IMAGE_JAVA_OPTIONS =
            List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp");

    static {
        // HttpURLConnection keeps 5 idle connections per server unless told otherwise: with more
        // clients than that, the others would open a new connection for every request.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "256");
        }
    }

    private Harness() {}

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

        /** A phase that completed nothing measured nothing: it fails the run rather than print zeros. */
        Result {
            if (operations <= 0) {
                throw new IllegalStateException(name + ": no operation completed in the measured window");
            }
        }

        double throughput() {
            return operations / seconds;
        }

        double p50Millis() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-56s %10.0f/s %9.2f ms %9.2f ms %9.2f ms",
                    name,
                    throughput(),
                    p50Millis(),
                    p99Millis(),
                    latency.getMaxValue() / 1000.0);
        }

        static String header() {
            return String.format("%n%-56s %12s %12s %12s %12s", "phase", "throughput", "p50", "p99", "max");
        }
    }

    /**
     * The median of rounds of one phase, by {@code order}, under {@code name}: a machine whose
     * speed drifts between phases moves one round, not the figure.
     */
    static Result median(String name, List<Result> rounds, Comparator<Result> order) {
        List<Result> sorted = rounds.stream().sorted(order).toList();
        Result middle = sorted.get(sorted.size() / 2);
        return new Result(name, middle.operations(), middle.seconds(), middle.latency());
    }

    static Histogram histogram() {
        return new Histogram(60_000_000L, 3);
    }

    /** Runs {@code operation} on every client until the phase ends; records the measured window only. */
    static Result phase(String name, int clients, Duration warmup, Duration measure, Operation operation)
            throws InterruptedException {
        System.out.printf("  %s: warming up %d s, measuring %d s...%n", name, warmup.toSeconds(), measure.toSeconds());
        Result result = run(name, clients, warmup, measure, operation, null);
        System.out.println("    " + result.line().trim());
        return result;
    }

    /**
     * Runs {@code operation} on every client for {@code duration}, unrecorded but for one last
     * second, so that the code on both sides is compiled before a phase measures it; fails like a phase.
     */
    static void warmUp(String name, int clients, Duration duration, Operation operation) throws InterruptedException {
        System.out.printf("  %s: warming up %d s with %d clients...%n", name, duration.toSeconds(), clients);
        Result last = run(name, clients, duration, Duration.ofSeconds(1), operation, null);
        System.out.printf(Locale.ROOT, "    warm, %.0f/s in its last second%n", last.throughput());
    }

    /**
     * Warms up as {@link #warmUp} does for at least {@code duration}, then on until the services'
     * JIT compilers are {@linkplain Compilers quiet}, so that a phase measures the code they run
     * for good and not their compilers at work; but no longer than {@code longest}.
     */
    static void warmUp(
            String name, int clients, Duration duration, Duration longest, Compilers compilers, Operation operation)
            throws InterruptedException {
        System.out.printf(
                "  %s: warming up %d s with %d clients, then until the JIT compilers of %s are quiet (at most %d s)...%n",
                name, duration.toSeconds(), clients, compilers.names(), longest.toSeconds());
        Result last = run(name, clients, duration, Duration.ofSeconds(1), operation, new Settling(compilers, longest));
        System.out.printf(Locale.ROOT, "    warm, %.0f/s in its last second%n", last.throughput());
    }

    private static Result run(
            String name, int clients, Duration warmup, Duration measure, Operation operation, Settling settling)
            throws InterruptedException {
        AtomicBoolean recording = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder completed = new LongAdder();
        long[] counts = new long[clients];
        Histogram[] perClient = new Histogram[clients];
        CountDownLatch done = new CountDownLatch(clients);
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            perClient[c] = histogram();
            Thread thread = new Thread(
                    () -> {
                        try {
                            for (long i = 0; !stop.get(); i++) {
                                long start = System.nanoTime();
                                operation.run(client, i);
                                completed.increment();
                                if (recording.get()) {
                                    perClient[client].recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                                    counts[client]++;
                                }
                            }
                        } catch (Exception e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                            stop.set(true);
                        } finally {
                            done.countDown();
                        }
                    },
                    "bench-client-" + c);
            thread.start();
        }
        awaitWarm(warmup, settling, done, completed);
        recording.set(true);
        long started = System.nanoTime();
        done.await(measure.toMillis(), TimeUnit.MILLISECONDS);
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
        return new Result(name, operations, seconds, latency);
    }

    /** How long a warm-up may go on past its time, and what it waits for. */
    private record Settling(Compilers compilers, Duration longest) {}

    /**
     * Waits out a warm-up, saying how it goes every {@link #PROGRESS}, and then, with
     * {@code settling}, on until the compilers were quiet for one such slice or the longest
     * warm-up is over; returns early when every client failed.
     */
    private static void awaitWarm(Duration warmup, Settling settling, CountDownLatch done, LongAdder completed)
            throws InterruptedException {
        long begun = System.nanoTime();
        long end = begun + warmup.toNanos();
        long last = settling == null
                ? end
                : begun + Math.max(warmup.toNanos(), settling.longest().toNanos());
        long sliceStart = begun;
        long sliceCount = completed.sum();
        List<String> busy = List.of();
        for (long left = warmup.toNanos(); left > 0; ) {
            if (done.await(Math.min(left, PROGRESS.toNanos()), TimeUnit.NANOSECONDS)) {
                return;
            }
            long now = System.nanoTime();
            boolean minimumOver = end - now <= 0;
            if (settling != null) {
                busy = settling.compilers().busy();
            }
            if (minimumOver && (busy.isEmpty() || last - now <= 0)) {
                break;
            }
            long count = completed.sum();
            System.out.printf(
                    Locale.ROOT,
                    "    %d of %s s, %.0f/s%s%n",
                    (now - begun) / 1_000_000_000L,
                    minimumOver ? warmup.toSeconds() + "+" : String.valueOf(warmup.toSeconds()),
                    (count - sliceCount) / ((now - sliceStart) / 1e9),
                    busy.isEmpty() ? "" : ", compiling: " + String.join(", ", busy));
            sliceStart = now;
            sliceCount = count;
            left = minimumOver ? last - now : end - now;
        }
        if (settling != null && !busy.isEmpty()) {
            System.out.printf("    the longest warm-up is over while still compiling: %s%n", String.join(", ", busy));
        }
    }

    /**
     * The JIT compilers of services under test, as each one's {@code jvm_compilation_time_ms_total}
     * shows them: a service is quiet once its compilers worked at most {@value #QUIET_PERCENT}% of
     * the time since the last look. Until then, part of the cores measured goes to compiling the
     * paths measured, and the code that runs is not yet the code that will run.
     */
    static final class Compilers {

        static final int QUIET_PERCENT = 5;
        private static final Pattern COMPILATION_TIME =
                Pattern.compile("(?m)^jvm_compilation_time_ms_total\\{[^}]*} ([0-9.Ee+-]+)$");

        private final Map<String, String> services;
        private final Map<String, Double> compiled = new HashMap<>();
        private long lookedAt;

        /** {@code services}: each service's name and base URL. */
        Compilers(Map<String, String> services) {
            this.services = Map.copyOf(services);
            busy();
        }

        String names() {
            return String.join(", ", new TreeMap<>(services).keySet());
        }

        /** Each service whose compilers worked more than the quiet share since the last look, with its share. */
        List<String> busy() {
            long now = System.nanoTime();
            double elapsedMs = (now - lookedAt) / 1e6;
            List<String> busy = new ArrayList<>();
            for (Map.Entry<String, String> service : new TreeMap<>(services).entrySet()) {
                double ms = compilationMs(service.getValue());
                Double before = compiled.put(service.getKey(), ms);
                double percent = before == null ? 100 : 100 * (ms - before) / elapsedMs;
                if (percent > QUIET_PERCENT) {
                    busy.add(String.format(Locale.ROOT, "%s %.0f%%", service.getKey(), percent));
                }
            }
            lookedAt = now;
            return busy;
        }

        private static double compilationMs(String baseUrl) {
            try {
                Matcher matcher = COMPILATION_TIME.matcher(read(baseUrl + "/actuator/prometheus"));
                if (!matcher.find()) {
                    throw new IllegalStateException(baseUrl + " has no jvm_compilation_time_ms_total");
                }
                return Double.parseDouble(matcher.group(1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One request with a WRITE key over {@link HttpURLConnection}, whose pooled keep-alive
     * connections cost the client less CPU than {@code java.net.http}: on two shared cores, what
     * the client spends is taken from the service under test. The body is buffered, so that it
     * leaves with the headers in one write: streamed with a fixed length, it is a second small
     * write, which Nagle's algorithm on the client's socket holds until the server acknowledges
     * the first (delayed by up to its delayed-ACK timer), about 0.9 ms per request here.
     */
    static String send(String method, String url, String json) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setRequestProperty("Authorization", "Bearer " + TestApiKeys.WRITE);
        connection.setReadTimeout(360_000);
        if (json != null) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
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

    /** The response's {@code X-Baton-Index} (-1 when it has none) along with its body. */
    record Indexed(long index, String body) {}

    /** A GET with a READ key; the body. */
    static String read(String url) throws IOException {
        return get(url).body();
    }

    static Indexed get(String url) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty("Authorization", "Bearer " + TestApiKeys.READ);
        connection.setReadTimeout(360_000);
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status >= 400) {
                throw new IllegalStateException("GET " + url + " answered " + status + ": " + answer);
            }
            String index = connection.getHeaderField("X-Baton-Index");
            return new Indexed(index == null ? -1 : Long.parseLong(index), answer);
        }
    }

    /**
     * JVM options for the service processes under test: {@code BENCH_SERVICE_JAVA_OPTS}, else the
     * container images' (the jib {@code jvmFlags} of the root pom) with the JVM's defaults for the
     * rest: both JIT compilers and, on this machine, G1. Not the fast-start options of the tests and
     * of the local runner ({@code -XX:TieredStopAtLevel=1}), which cost peak speed.
     */
    static List<String> serviceJavaOptions() {
        String value = System.getenv("BENCH_SERVICE_JAVA_OPTS");
        return value == null || value.isBlank()
                ? IMAGE_JAVA_OPTIONS
                : List.of(value.trim().split("\\s+"));
    }

    static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
