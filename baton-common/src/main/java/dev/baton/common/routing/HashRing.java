package dev.baton.common.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A consistent-hash ring with virtual nodes, weighted, with bounded loads: the one ring of the
 * gateway's routing and of the scheduler's {@code CONSISTENT_HASH} strategy.
 *
 * <p>Each member owns {@code virtualNodes * weight} points, placed by hashing its id; a key goes
 * to the owner of the first point at or after the key's hash. Adding a member moves only the
 * keys it takes over, about {@code 1/(N+1)} of them; removing one moves only its own keys.
 *
 * <p>{@link #locate(String, ToIntFunction, double)} adds bounded loads (Mirrokni, Thorup and
 * Zadimoghaddam, "Consistent Hashing with Bounded Loads", 2018): a member takes a key only
 * while its load stays under {@code ceil((1 + epsilon) * total * weight / totalWeight)}, where
 * {@code total} counts the key being placed; otherwise the key walks on along the ring to the
 * next member with room, so no member exceeds {@code 1 + epsilon} times its share.
 *
 * <p>Immutable and thread-safe; a membership change builds a new ring.
 *
 * @param <T> what a member is, such as a service instance
 */
public final class HashRing<T> {

    /**
     * Virtual nodes per unit of weight when not given: enough that a replica joining or leaving
     * a ring of 3 to 100 moves within 10% of the ideal share of keys (see the ring benchmark).
     */
    public static final int DEFAULT_VIRTUAL_NODES = 256;

    /**
     * A member of the ring.
     *
     * @param node what the ring hands out
     * @param id its stable identity, which places its points: an instance id, not an address that may be reused
     * @param weight its share relative to the others, at least 1
     */
    public record Member<T>(T node, String id, int weight) {

        public Member {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(id, "id");
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1: " + weight);
            }
        }
    }

    private final List<Member<T>> members;
    private final long[] points;
    private final int[] owners;
    private final long totalWeight;

    private HashRing(List<Member<T>> members, long[] points, int[] owners) {
        this.members = members;
        this.points = points;
        this.owners = owners;
        this.totalWeight = members.stream().mapToLong(Member::weight).sum();
    }

    /** A ring of these members with {@link #DEFAULT_VIRTUAL_NODES}. */
    public static <T> HashRing<T> of(Collection<Member<T>> members) {
        return of(members, DEFAULT_VIRTUAL_NODES);
    }

    /** A ring of these members with {@code virtualNodes} points per unit of weight. */
    public static <T> HashRing<T> of(Collection<Member<T>> members, int virtualNodes) {
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be at least 1: " + virtualNodes);
        }
        // Sorted by id, so that rings of the same members agree however they were listed.
        List<Member<T>> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(Member::id));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id().equals(sorted.get(i - 1).id())) {
                throw new IllegalArgumentException(
                        "Two members share the id " + sorted.get(i).id());
            }
        }
        int count = sorted.stream()
                .mapToInt(member -> member.weight() * virtualNodes)
                .sum();
        long[][] placed = new long[count][];
        int next = 0;
        for (int m = 0; m < sorted.size(); m++) {
            Member<T> member = sorted.get(m);
            for (int v = 0; v < member.weight() * virtualNodes; v++) {
                placed[next++] = new long[] {Murmur3.hash64(member.id() + "#" + v), m};
            }
        }
        Arrays.sort(placed, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long[] points = new long[count];
        int[] owners = new int[count];
        for (int i = 0; i < count; i++) {
            points[i] = placed[i][0];
            owners[i] = (int) placed[i][1];
        }
        return new HashRing<>(List.copyOf(sorted), points, owners);
    }

    /** The member that owns the key, or null when the ring is empty. */
    public T locate(String key) {
        if (members.isEmpty()) {
            return null;
        }
        return members.get(owners[start(Murmur3.hash64(key))]).node();
    }

    /**
     * The member that takes the key under bounded loads: the first along the ring from the key
     * whose load is under its bound. {@code load} tells each member's current load (such as its
     * requests in flight), not counting this key.
     */
    public T locate(String key, ToIntFunction<T> load, double epsilon) {
        long total = 0;
        for (Member<T> member : members) {
            total += load.applyAsInt(member.node());
        }
        return locate(key, load, total, epsilon);
    }

    /**
     * As {@link #locate(String, ToIntFunction, double)}, for a caller that keeps the sum of all
     * members' loads itself ({@code totalLoad}, not counting this key): it then costs a lookup
     * and one load per member tried, not one per member of the ring.
     */
    public T locate(String key, ToIntFunction<T> load, long totalLoad, double epsilon) {
        if (epsilon <= 0) {
            throw new IllegalArgumentException("epsilon must be positive: " + epsilon);
        }
        if (members.isEmpty()) {
            return null;
        }
        long total = totalLoad + 1;
        boolean[] seen = new boolean[members.size()];
        int first = start(Murmur3.hash64(key));
        for (int i = 0; i < points.length; i++) {
            int owner = owners[(first + i) % points.length];
            if (!seen[owner]) {
                seen[owner] = true;
                Member<T> member = members.get(owner);
                double bound = Math.ceil((1 + epsilon) * total * member.weight() / totalWeight);
                if (load.applyAsInt(member.node()) < bound) {
                    return member.node();
                }
            }
        }
        // Unreachable while loads are what they were a moment ago: the bounds add up to more than the total.
        return members.get(owners[first]).node();
    }

    /** Every member once, in ring order from the key: the owner first, then where a failover goes. */
    public List<T> walk(String key) {
        return walkMembers(key).stream().map(Member::node).toList();
    }

    private List<Member<T>> walkMembers(String key) {
        List<Member<T>> order = new ArrayList<>(members.size());
        if (members.isEmpty()) {
            return order;
        }
        boolean[] seen = new boolean[members.size()];
        int first = start(Murmur3.hash64(key));
        for (int i = 0; i < points.length && order.size() < members.size(); i++) {
            int owner = owners[(first + i) % points.length];
            if (!seen[owner]) {
                seen[owner] = true;
                order.add(members.get(owner));
            }
        }
        return order;
    }

    /** The index of the first point at or after the hash, wrapping around. */
    private int start(long hash) {
        int index = Arrays.binarySearch(points, hash);
        if (index < 0) {
            index = -index - 1;
        } else {
            while (index > 0 && points[index - 1] == hash) {
                index--;
            }
        }
        return index == points.length ? 0 : index;
    }
}
