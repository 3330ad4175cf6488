package dev.baton.common.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring's properties, on many keys. */
class HashRingTest {

    private static final int KEYS = 100_000;

    private static List<HashRing.Member<String>> members(int count) {
        List<HashRing.Member<String>> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(new HashRing.Member<>("replica-" + i, "replica-" + i, 1));
        }
        return members;
    }

    private static String key(int i) {
        return "orders/" + i;
    }

    @Test
    void the_same_key_always_goes_to_the_same_member_however_members_are_listed() {
        List<HashRing.Member<String>> members = members(7);
        HashRing<String> ring = HashRing.of(members);
        List<HashRing.Member<String>> reversed = new ArrayList<>(members);
        Collections.reverse(reversed);
        HashRing<String> other = HashRing.of(reversed);
        for (int i = 0; i < KEYS; i++) {
            assertThat(other.locate(key(i))).isEqualTo(ring.locate(key(i)));
        }
    }

    @Test
    void adding_a_member_moves_about_one_in_n_plus_one_keys_and_only_onto_it() {
        int n = 10;
        HashRing<String> before = HashRing.of(members(n));
        HashRing<String> after = HashRing.of(members(n + 1));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String was = before.locate(key(i));
            String now = after.locate(key(i));
            if (!was.equals(now)) {
                assertThat(now).isEqualTo("replica-" + n);
                moved++;
            }
        }
        double ideal = (double) KEYS / (n + 1);
        assertThat(moved).isBetween((int) (ideal * 0.8), (int) (ideal * 1.2));
    }

    @Test
    void removing_a_member_moves_only_its_keys() {
        HashRing<String> before = HashRing.of(members(10));
        List<HashRing.Member<String>> remaining = members(10);
        remaining.remove(3);
        HashRing<String> after = HashRing.of(remaining);
        for (int i = 0; i < KEYS; i++) {
            String was = before.locate(key(i));
            if (!was.equals("replica-3")) {
                assertThat(after.locate(key(i))).isEqualTo(was);
            } else {
                assertThat(after.locate(key(i))).isNotEqualTo("replica-3");
            }
        }
    }

    @Test
    void a_member_of_weight_two_takes_about_twice_the_keys() {
        List<HashRing.Member<String>> members = members(4);
        members.set(0, new HashRing.Member<>("replica-0", "replica-0", 2));
        HashRing<String> ring = HashRing.of(members);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            counts.merge(ring.locate(key(i)), 1, Integer::sum);
        }
        double share = counts.get("replica-0") / (double) KEYS;
        assertThat(share).isBetween(0.4 * 0.85, 0.4 * 1.15);
    }

    @Test
    void with_bounded_loads_no_member_exceeds_its_bound_under_skewed_keys() {
        int n = 8;
        double epsilon = 0.25;
        HashRing<String> ring = HashRing.of(members(n));
        Map<String, Integer> load = new HashMap<>();
        Map<String, Integer> unbounded = new HashMap<>();
        Random random = new Random(42);
        int requests = 20_000;
        for (int i = 0; i < requests; i++) {
            // Zipf-like: a few hot keys take most requests.
            String key = key((int) Math.floor(Math.pow(random.nextDouble(), 4) * 1000));
            load.merge(ring.locate(key, node -> load.getOrDefault(node, 0), epsilon), 1, Integer::sum);
            unbounded.merge(ring.locate(key), 1, Integer::sum);
        }
        double average = (double) requests / n;
        int max = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(max).isLessThanOrEqualTo((int) Math.ceil((1 + epsilon) * average));
        assertThat(unbounded.values().stream().mapToInt(Integer::intValue).max().orElseThrow())
                .isGreaterThan((int) Math.ceil((1 + epsilon) * average));
    }

    @Test
    void bounded_loads_keep_a_key_on_its_owner_while_the_owner_has_room() {
        HashRing<String> ring = HashRing.of(members(5));
        for (int i = 0; i < 1000; i++) {
            assertThat(ring.locate(key(i), node -> 0, 0.25)).isEqualTo(ring.locate(key(i)));
        }
    }

    @Test
    void a_walk_lists_every_member_once_starting_with_the_owner() {
        HashRing<String> ring = HashRing.of(members(6));
        for (int i = 0; i < 1000; i++) {
            List<String> walk = ring.walk(key(i));
            assertThat(walk).hasSize(6).doesNotHaveDuplicates();
            assertThat(walk.get(0)).isEqualTo(ring.locate(key(i)));
        }
    }

    @Test
    void an_empty_ring_locates_nothing_and_bad_members_are_refused() {
        HashRing<String> empty = HashRing.of(List.of());
        assertThat(empty.locate("k")).isNull();
        assertThat(empty.walk("k")).isEmpty();
        assertThatThrownBy(() -> new HashRing.Member<>("a", "a", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HashRing.of(
                        List.of(new HashRing.Member<>("a", "same", 1), new HashRing.Member<>("b", "same", 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void murmur3_matches_the_reference_implementation() {
        // First 64 bits of MurmurHash3_x64_128 with seed 0, as Guava's murmur3_128().hashBytes(...).asLong().
        assertThat(Murmur3.hash64(new byte[0])).isEqualTo(0L);
        assertThat(Murmur3.hash64("hello")).isEqualTo(0xcbd8a7b341bd9b02L);
        assertThat(Murmur3.hash64("The quick brown fox jumps over the lazy dog"))
                .isEqualTo(0xe34bbc7bbc071b6cL);
    }
}
