package dev.baton.lock.api;

import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.ResourceName;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.ResourceKey;
import dev.baton.lock.engine.Snapshot;
import dev.baton.lock.engine.Summary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

/**
 * The endpoints that locks, semaphores and elections share: inspect (a blocking query), list and
 * force-release. Acquire, renew and release are {@link LeaseRoutes}. Every database call runs on
 * {@link BlockingCalls}, never on the event loop.
 */
public abstract class LeaseEndpoints {

    protected final LeaseEngine leases;
    protected final BlockingCalls calls;
    private final LeaseKind kind;

    protected LeaseEndpoints(LeaseEngine leases, BlockingCalls calls, LeaseKind kind) {
        this.leases = leases;
        this.calls = calls;
        this.kind = kind;
    }

    protected ResourceKey key(String name) {
        return new ResourceKey(kind, name);
    }

    /** The resource now, or once it changes past {@code index}: a blocking query. */
    protected Mono<Snapshot> watch(String name, Long index, String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        return calls.await(() -> leases.watch(key(name), query));
    }

    @GetMapping("/{name}")
    @Operation(
            summary = "Inspect: holders, waiters, last token",
            description = "A blocking query: with index, answers once the index passes it or wait elapses.")
    public Mono<ResponseEntity<ResourceView>> inspect(
            @PathVariable @ResourceName String name,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        return watch(name, index, wait)
                .map(snapshot -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(snapshot.version()))
                        .body(ResourceView.of(snapshot)));
    }

    @GetMapping({"", "/"})
    @Operation(
            summary = "List by name prefix, in name order",
            description = "With the count of valid leases under the prefix (leases). A blocking query: with index, "
                    + "answers once the listing's index (X-Baton-Index, the sum of the versions of every resource "
                    + "under the prefix) passes it or wait elapses.")
    public Mono<ResponseEntity<ResourcePage>> list(
            @RequestParam(defaultValue = "") @Size(max = 200) String prefix,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(defaultValue = "") @Size(max = 200) String cursor,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        return calls.await(() -> leases.watchListing(kind, prefix, query))
                .flatMap(listingIndex -> calls.call(() -> {
                    List<Summary> items = leases.list(kind, prefix, cursor, limit);
                    ResourcePage page = new ResourcePage(
                            items,
                            items.size() < limit
                                    ? null
                                    : items.get(items.size() - 1).name(),
                            leases.leases(kind, prefix));
                    return ResponseEntity.ok()
                            .header(BlockingQuery.INDEX_HEADER, String.valueOf(listingIndex))
                            .body(page);
                }));
    }

    @DeleteMapping("/{name}")
    @Operation(
            summary = "Force-release every lease (ADMIN)",
            description = "Holders learn it at their next renewal or release (410).")
    public Mono<ResponseEntity<Void>> forceRelease(@PathVariable @ResourceName String name) {
        return calls.call(() -> {
            leases.forceRelease(key(name));
            return ResponseEntity.noContent().build();
        });
    }
}
