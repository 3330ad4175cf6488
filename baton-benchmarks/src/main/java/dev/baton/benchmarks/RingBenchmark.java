package dev.baton.benchmarks;

import dev.baton.common.routing.HashRing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The ring's figures: key movement when a replica joins or leaves against the ideal
 * {@code 1/(N+1)}, the max/average load on a skewed key set with and without bounded loads, and
 * (JMH, {@link RingLookupBenchmark}) the time of one lookup.
 */
final class RingBenchmark {

    private static final int KEYS = 1_000_000;

    void run() throws Exception {
        System.out.println("Ring benchmark: key movement, load balance, lookup time");
        for (int n : new int[] {3, 10, 100}) {
            movement(n);
        }
        for (double epsilon : new double[] {0.1, 0.25, 0.5}) {
            balance(20, epsilon);
        }
        new Runner(new OptionsBuilder()
                        .include(RingLookupBenchmark.class.getName())
                        .build())
                .run();
    }

    private static List<HashRing.Member<String>> members(int n) {
        List<HashRing.Member<String>> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(new HashRing.Member<>("r" + i, "lock-service-10.0.0." + i + "-8082", 1));
        }
        return members;
    }

    private static void movement(int n) {
        HashRing<String> before = HashRing.of(members(n));
        HashRing<String> after = HashRing.of(members(n + 1));
        int movedOnAdd = 0;
        int movedOnRemove = 0;
        List<HashRing.Member<String>> fewer = members(n);
        fewer.remove(0);
        HashRing<String> removed = HashRing.of(fewer);
        for (int i = 0; i < KEYS; i++) {
            String key = "orders/" + i;
            String owner = before.locate(key);
            if (!owner.equals(after.locate(key))) {
                movedOnAdd++;
            }
            if (!owner.equals(removed.locate(key))) {
                movedOnRemove++;
            }
        }
        double idealAdd = 1.0 / (n + 1);
        double idealRemove = 1.0 / n;
        System.out.printf(
                Locale.ROOT,
                "  %3d -> %3d replicas: %.2f%% of keys moved (ideal %.2f%%, %+.1f%% off); "
                        + "%3d -> %3d: %.2f%% moved (ideal %.2f%%, %+.1f%% off)%n",
                n,
                n + 1,
                100.0 * movedOnAdd / KEYS,
                100 * idealAdd,
                100 * (movedOnAdd / (double) KEYS / idealAdd - 1),
                n,
                n - 1,
                100.0 * movedOnRemove / KEYS,
                100 * idealRemove,
                100 * (movedOnRemove / (double) KEYS / idealRemove - 1));
    }

    /** Requests on a Zipf-like key set, each held (in flight) until the end: the worst case for balance. */
    private static void balance(int n, double epsilon) {
        HashRing<String> ring = HashRing.of(members(n));
        Map<String, Integer> bounded = new HashMap<>();
        Map<String, Integer> plain = new HashMap<>();
        Random random = new Random(7);
        int requests = 100_000;
        for (int i = 0; i < requests; i++) {
            String key = "orders/" + (int) Math.floor(Math.pow(random.nextDouble(), 4) * 10_000);
            bounded.merge(ring.locate(key, node -> bounded.getOrDefault(node, 0), epsilon), 1, Integer::sum);
            plain.merge(ring.locate(key), 1, Integer::sum);
        }
        double average = (double) requests / n;
        System.out.printf(
                Locale.ROOT,
                "  %d replicas, skewed keys, epsilon %.2f: max/average %.3f with bounded loads "
                        + "(bound %.3f), %.3f without%n",
                n,
                epsilon,
                max(bounded) / average,
                1 + epsilon,
                max(plain) / average);
    }

    private static int max(Map<String, Integer> loads) {
        return loads.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
