package dev.baton.lock.engine;

import java.time.Duration;
import java.util.List;

/** A lease that was not granted within the time the client was willing to wait. */
public class NotGrantedException extends RuntimeException {

    private final transient ResourceKey resource;
    private final Duration waited;
    private final transient List<Holder> holders;

    public NotGrantedException(ResourceKey resource, Duration waited, List<Holder> holders) {
        super(resource.kind().name().toLowerCase() + " '" + resource.name() + "' was not granted within "
                + waited.toMillis() + " ms; held by " + owners(holders) + ".");
        this.resource = resource;
        this.waited = waited;
        this.holders = List.copyOf(holders);
    }

    private static String owners(List<Holder> holders) {
        return holders.isEmpty()
                ? "earlier requests in the queue"
                : String.join(
                        ", ",
                        holders.stream()
                                .map(holder ->
                                        holder.owner() + " (" + holder.mode() + ", token " + holder.token() + ")")
                                .toList());
    }

    public ResourceKey resource() {
        return resource;
    }

    public Duration waited() {
        return waited;
    }

    public List<Holder> holders() {
        return holders;
    }
}
