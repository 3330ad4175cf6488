package dev.baton.lock.engine;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The payload of a change announced on {@link LeaseStore#CHANNEL}, as {@code lease_finish} writes
 * it: {@code KIND|name|nextEventMs|grants}, where {@code grants} lists each granted waiter as
 * {@code id/token/grantedAt/expiresAt} (times in epoch microseconds), joined by commas, or
 * is {@code *} for "too many to list: look up every local waiter". Names cannot contain {@code |}.
 */
final class LeaseEvents {

    private LeaseEvents() {}

    /**
     * A change on a resource, as some replica announced it.
     *
     * @param resource the resource
     * @param nextEventMs milliseconds until its next expiry or waiter deadline, or -1
     * @param granted the waiters granted, or null when there were too many to list
     */
    record Event(ResourceKey resource, long nextEventMs, List<GrantNotice> granted) {}

    /**
     * A grant as announced: what the waiting replica lacks of the lease, since it knows the request.
     *
     * @param waiterId the waiter, now the lease's id
     * @param token the fencing token
     * @param grantedAt when it was granted
     * @param expiresAt when it expires unless renewed
     */
    record GrantNotice(UUID waiterId, long token, Instant grantedAt, Instant expiresAt) {}

    static Event parse(String payload) {
        String[] fields = payload.split("\\|", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("Not a lease event: " + payload);
        }
        List<GrantNotice> granted = fields[3].equals("*")
                ? null
                : fields[3].isEmpty()
                        ? List.of()
                        : Arrays.stream(fields[3].split(","))
                                .map(LeaseEvents::grant)
                                .toList();
        return new Event(new ResourceKey(LeaseKind.valueOf(fields[0]), fields[1]), Long.parseLong(fields[2]), granted);
    }

    private static GrantNotice grant(String field) {
        String[] parts = field.split("/", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not a grant: " + field);
        }
        return new GrantNotice(
                UUID.fromString(parts[0]),
                Long.parseLong(parts[1]),
                micros(Long.parseLong(parts[2])),
                micros(Long.parseLong(parts[3])));
    }

    private static Instant micros(long epochMicros) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochMicros, 1_000_000), Math.floorMod(epochMicros, 1_000_000) * 1000);
    }
}
