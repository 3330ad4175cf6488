package dev.baton.sample.inventory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The units on hand of each item, in memory: the resource the lock protects. It fences its
 * writes: a write carries the fencing token of the lease it was made under, and a token lower
 * than one already written is refused, so a holder whose lease ran out while it was paused cannot
 * overwrite what the next holder wrote. A database does the same with a conditional update
 * ({@code ... where fence_token <= ?}) or {@code FencedWrites}.
 */
@Component
public class Stock {

    /** An item's units on hand and the token of the write that set them (0 before any). */
    public record Level(String sku, int units, long token) {}

    private final Map<String, Level> levels = new ConcurrentHashMap<>();

    public Level level(String sku) {
        return levels.getOrDefault(sku, new Level(sku, 0, 0));
    }

    /**
     * Sets the item's units, fenced by {@code token}.
     *
     * @throws StaleTokenException when a write with a higher token came first
     */
    public Level write(String sku, int units, long token) {
        return levels.compute(sku, (key, current) -> {
            if (current != null && current.token() > token) {
                throw new StaleTokenException(sku, token, current.token());
            }
            return new Level(sku, units, token);
        });
    }

    /** A write under a lease that a newer holder has already written after. */
    public static class StaleTokenException extends RuntimeException {

        StaleTokenException(String sku, long token, long current) {
            super("Item " + sku + " was written with fencing token " + current + "; token " + token
                    + " is stale: its lease ran out");
        }
    }
}
