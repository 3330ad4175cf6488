package dev.baton.lock.lease;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The payload of a change announced on {@link LeaseStore#CHANNEL}:
 * {@code KIND|name|nextEventMs|grantedIds}, where {@code grantedIds} is a comma-separated
 * list of granted waiters, or {@code *} for "too many to list: check every local waiter".
 * Names cannot contain {@code |}.
 */
final class LeaseEvents {

    /** PostgreSQL refuses payloads of 8000 bytes and more; 100 ids stay well below. */
    private static final int MAX_LISTED = 100;

    private LeaseEvents() {
    }

    /**
     * A change on a resource, as another replica announced it.
     *
     * @param resource the resource
     * @param nextEventMs milliseconds until its next expiry or waiter deadline, or -1
     * @param granted the waiters granted, or null when there were too many to list
     */
    record Event(ResourceKey resource, long nextEventMs, List<UUID> granted) {
    }

    static String resourceField(ResourceKey key) {
        return key.kind().name() + "|" + key.name();
    }

    static String grantedField(List<UUID> granted) {
        if (granted.size() > MAX_LISTED) {
            return "*";
        }
        return String.join(",", granted.stream().map(UUID::toString).toList());
    }

    static Event parse(String payload) {
        String[] fields = payload.split("\\|", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("Not a lease event: " + payload);
        }
        List<UUID> granted = fields[3].equals("*") ? null
                : fields[3].isEmpty() ? List.of()
                : Arrays.stream(fields[3].split(",")).map(UUID::fromString).toList();
        return new Event(new ResourceKey(LeaseKind.valueOf(fields[0]), fields[1]), Long.parseLong(fields[2]), granted);
    }
}
