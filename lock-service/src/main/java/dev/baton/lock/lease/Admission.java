package dev.baton.lock.lease;

import java.util.List;

/**
 * Decides whether a request can join a resource's current holders. Pure logic: the caller holds
 * the resource's advisory lock and has removed expired leases.
 */
final class Admission {

    private Admission() {
    }

    /**
     * A lease as far as admission cares.
     *
     * @param mode its mode
     * @param permits its permits
     */
    record Holding(LeaseMode mode, int permits) {
    }

    static boolean admits(List<Holding> holders, LeaseMode mode, int permits, Integer limit) {
        return switch (mode) {
            case EXCLUSIVE -> holders.isEmpty();
            case SHARED -> holders.stream().allMatch(holding -> holding.mode() == LeaseMode.SHARED);
            case PERMITS -> holders.stream().mapToInt(Holding::permits).sum() + permits <= limit;
        };
    }
}
