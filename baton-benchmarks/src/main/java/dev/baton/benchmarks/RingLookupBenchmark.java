package dev.baton.benchmarks;

import dev.baton.common.routing.HashRing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one ring lookup among 100 replicas with the default virtual nodes, plain and under
 * bounded loads (with the total load kept by the caller, as the gateway keeps it), against the
 * baseline of hashing the key alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RingLookupBenchmark {

    private static final int KEYS = 4096;

    private HashRing<String> ring;
    private String[] keys;
    private int[] loads;
    private long totalLoad;
    private final CRC32C crc = new CRC32C();
    private int next;

    @Setup
    public void setUp() {
        List<HashRing.Member<String>> members = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            members.add(new HashRing.Member<>("replica-" + i, "lock-service-10.0.0." + i + "-8082", 1));
        }
        ring = HashRing.of(members);
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "orders/" + (i * 7919);
        }
        loads = new int[100];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = 10 + i % 7;
            totalLoad += loads[i];
        }
    }

    private String key() {
        next = (next + 1) & (KEYS - 1);
        return keys[next];
    }

    /** The baseline: hashing the key's bytes alone, as any hash-based routing must. */
    @Benchmark
    public long baselineHashOnly() {
        crc.reset();
        crc.update(key().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    @Benchmark
    public String lookup() {
        return ring.locate(key());
    }

    @Benchmark
    public String lookupWithBoundedLoads() {
        return ring.locate(key(), node -> loads[Integer.parseInt(node, 8, node.length(), 10)], totalLoad, 0.25);
    }
}
