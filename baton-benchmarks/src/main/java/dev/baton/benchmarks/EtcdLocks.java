package dev.baton.benchmarks;

import dev.baton.test.ServiceProcess;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lock.LockResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * etcd as the lock benchmark's peer: one member started by the harness on loopback, on free ports
 * and a new data directory (fsync on, as etcd ships), called through jetcd. A cycle is what etcd's
 * lock recipe does: lock the name under the client's lease, granted once per client up front (TTL
 * 30 s, kept alive), then unlock the key that the lock returned.
 *
 * <p>The binary is {@code BENCH_ETCD}, else {@code /usr/bin/etcd} (Debian's {@code etcd-server}).
 */
final class EtcdLocks implements AutoCloseable {

    private static final long TTL_SECONDS = 30;
    private static final long TIMEOUT_SECONDS = 30;

    private final Process process;
    private final Path dataDir;
    private final Client client;
    private final List<CloseableClient> keepAlives = new ArrayList<>();
    private long[] leases = new long[0];

    private EtcdLocks(Process process, Path dataDir, Client client) {
        this.process = process;
        this.dataDir = dataDir;
        this.client = client;
    }

    /** The etcd binary, when it is installed. */
    static Optional<Path> binary() {
        String configured = System.getenv("BENCH_ETCD");
        Path binary = Path.of(configured == null || configured.isBlank() ? "/usr/bin/etcd" : configured.trim());
        return Files.isExecutable(binary) ? Optional.of(binary) : Optional.empty();
    }

    /**
     * Starts a one-member etcd from {@code binary} and waits until it is healthy; on other ports
     * when another process took one of the free ports first.
     */
    static EtcdLocks start(Path binary) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            String clientUrl = "http://127.0.0.1:" + ServiceProcess.freePort();
            String peerUrl = "http://127.0.0.1:" + ServiceProcess.freePort();
            Path dataDir = Files.createTempDirectory("bench-etcd-");
            Path log = Path.of("target", "etcd-" + URI.create(clientUrl).getPort() + ".log")
                    .toAbsolutePath();
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(
                            binary.toString(),
                            "--name",
                            "bench",
                            "--data-dir",
                            dataDir.toString(),
                            "--listen-client-urls",
                            clientUrl,
                            "--advertise-client-urls",
                            clientUrl,
                            "--listen-peer-urls",
                            peerUrl,
                            "--initial-advertise-peer-urls",
                            peerUrl,
                            "--initial-cluster",
                            "bench=" + peerUrl,
                            "--logger",
                            "zap",
                            "--log-level",
                            "warn")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "etcd-reaper"));
            try {
                if (awaitHealthy(process, clientUrl, log)) {
                    System.out.printf("  etcd %s on %s, data in %s%n", version(binary), clientUrl, dataDir);
                    return new EtcdLocks(
                            process,
                            dataDir,
                            Client.builder().endpoints(clientUrl).build());
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                process.destroyForcibly();
                deleteTree(dataDir);
                throw e;
            }
            deleteTree(dataDir);
            if (attempt == 3 || !Files.readString(log).contains("address already in use")) {
                throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + log);
            }
            System.out.println("  etcd's port was taken in the meantime: starting it on others");
        }
    }

    /** Grants each of {@code clients} a lease of its own, kept alive until {@link #close()}. */
    void grantLeases(int clients) throws Exception {
        leases = new long[clients];
        for (int c = 0; c < clients; c++) {
            leases[c] = client.getLeaseClient()
                    .grant(TTL_SECONDS)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .getID();
            keepAlives.add(client.getLeaseClient().keepAlive(leases[c], new StreamObserver<LeaseKeepAliveResponse>() {
                @Override
                public void onNext(LeaseKeepAliveResponse response) {}

                @Override
                public void onError(Throwable failure) {
                    System.err.println("etcd lease keep-alive failed: " + failure);
                }

                @Override
                public void onCompleted() {}
            }));
        }
    }

    /** Locks {@code name} under the client's lease and unlocks it. */
    void cycle(int clientIndex, String name) throws Exception {
        LockResponse locked = client.getLockClient()
                .lock(ByteSequence.from(name, StandardCharsets.UTF_8), leases[clientIndex])
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        client.getLockClient().unlock(locked.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Times handoffs of one lock between the leases of clients 0 and 1, as lock-service's handoff
     * phases do: the lock held under one lease, a waiter queued behind it under the other (its key
     * seen under the lock's prefix), then the holder's unlock; from the unlock's sending to the
     * waiter's grant, after {@code warmup} handoffs that are not recorded.
     */
    Harness.Result handoffs(String phase, String name, int warmup, int count) throws Exception {
        ByteSequence lock = ByteSequence.from(name, StandardCharsets.UTF_8);
        ByteSequence queue = ByteSequence.from(name + "/", StandardCharsets.UTF_8);
        GetOption countQueued =
                GetOption.builder().isPrefix(true).withCountOnly(true).build();
        Histogram latency = Harness.histogram();
        LockResponse held = client.getLockClient().lock(lock, leases[0]).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long started = System.nanoTime();
        for (int round = -warmup; round < count; round++) {
            if (round == 0) {
                latency.reset();
                started = System.nanoTime();
            }
            long waiterLease = leases[Math.floorMod(round + warmup + 1, 2)];
            CompletableFuture<LockResponse> waiting = client.getLockClient().lock(lock, waiterLease);
            while (client.getKVClient()
                            .get(queue, countQueued)
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .getCount()
                    < 2) {
                Thread.sleep(1);
            }
            long releasedAt = System.nanoTime();
            client.getLockClient().unlock(held.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            held = waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            latency.recordValue(Math.max(1, (System.nanoTime() - releasedAt) / 1000));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        client.getLockClient().unlock(held.getKey()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new Harness.Result(phase, latency.getTotalCount(), seconds, latency);
    }

    /** Waits until etcd is healthy (true) or has exited (false). */
    private static boolean awaitHealthy(Process process, String clientUrl, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                URI uri = URI.create(clientUrl + "/health");
                HttpURLConnection health = (HttpURLConnection) uri.toURL().openConnection();
                health.setConnectTimeout(1000);
                health.setReadTimeout(2000);
                try (InputStream in = health.getInputStream()) {
                    if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"")) {
                        return true;
                    }
                }
            } catch (IOException notYetListening) {
                // etcd is still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("etcd was not healthy within 60 s; see " + log);
    }

    private static String version(Path binary) throws IOException, InterruptedException {
        Process version = new ProcessBuilder(binary.toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        return output.lines()
                .filter(line -> line.startsWith("etcd Version:"))
                .findFirst()
                .map(line -> line.substring("etcd Version:".length()).trim())
                .orElse("(unknown version)");
    }

    /** Stops the keep-alives, the client and the member, and deletes its data. */
    @Override
    public void close() {
        keepAlives.forEach(CloseableClient::close);
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            deleteTree(dataDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
