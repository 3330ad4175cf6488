package dev.baton.lock.api;

import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.ResourceName;
import dev.baton.lock.engine.Lease;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.LeaseRequest;
import dev.baton.lock.engine.ResourceKey;
import dev.baton.lock.engine.Snapshot;
import dev.baton.lock.engine.Summary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The endpoints that locks, semaphores and elections share: renew, release, inspect (a blocking
 * query), list and force-release. Each kind's controller adds its own way to acquire. Every
 * database call runs on {@link BlockingCalls}, never on the event loop.
 */
public abstract class LeaseEndpoints {

    protected final LeaseEngine leases;
    protected final BlockingCalls calls;
    private final LeaseKind kind;
    private final String basePath;

    protected LeaseEndpoints(LeaseEngine leases, BlockingCalls calls, LeaseKind kind, String basePath) {
        this.leases = leases;
        this.calls = calls;
        this.kind = kind;
        this.basePath = basePath;
    }

    protected ResourceKey key(String name) {
        return new ResourceKey(kind, name);
    }

    /** The name of the API key that calls: a requestId is unique per caller. */
    protected static String caller(Principal principal) {
        return principal.getName();
    }

    /**
     * Acquires and answers the grant: 201 with the lease's location. When the client goes away
     * while the request waits, the wait is withdrawn, and a grant that came meanwhile released.
     */
    protected Mono<ResponseEntity<LeaseResponse>> acquire(LeaseRequest request) {
        return calls.await(() -> leases.acquire(request)).map(this::created);
    }

    private ResponseEntity<LeaseResponse> created(Lease granted) {
        URI location = UriComponentsBuilder.fromPath(basePath).pathSegment("{name}", "leases", "{leaseId}")
                .encode().buildAndExpand(granted.resource().name(), granted.leaseId()).toUri();
        return ResponseEntity.created(location).body(LeaseResponse.of(granted));
    }

    /** The resource now, or once it changes past {@code index}: a blocking query. */
    protected Mono<Snapshot> watch(String name, Long index, String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        return calls.await(() -> leases.watch(key(name), query));
    }

    @PutMapping("/{name}/leases/{leaseId}")
    @Operation(summary = "Renew a lease", description = "Extends a valid lease by ttlMs from now (its own TTL when "
            + "absent). 410 when the lease has expired, was released or was revoked.")
    public Mono<LeaseResponse> renew(@PathVariable @ResourceName String name, @PathVariable UUID leaseId,
            @Valid @RequestBody(required = false) Renewal renewal) {
        Long ttlMs = renewal == null ? null : renewal.ttlMs();
        return calls.call(() -> LeaseResponse.of(leases.renew(key(name), leaseId, ttlMs)));
    }

    @DeleteMapping("/{name}/leases/{leaseId}")
    @Operation(summary = "Release a lease", description = "410 when it was already lost.")
    public Mono<ResponseEntity<Void>> release(@PathVariable @ResourceName String name, @PathVariable UUID leaseId) {
        return calls.call(() -> {
            leases.release(key(name), leaseId);
            return ResponseEntity.noContent().build();
        });
    }

    @GetMapping("/{name}")
    @Operation(summary = "Inspect: holders, waiters, last token",
            description = "A blocking query: with index, answers once the index passes it or wait elapses.")
    public Mono<ResponseEntity<ResourceView>> inspect(@PathVariable @ResourceName String name,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
            String wait) {
        return watch(name, index, wait).map(snapshot -> ResponseEntity.ok()
                .header(BlockingQuery.INDEX_HEADER, String.valueOf(snapshot.version()))
                .body(ResourceView.of(snapshot)));
    }

    @GetMapping({"", "/"})
    @Operation(summary = "List by name prefix, in name order")
    public Mono<ResourcePage> list(@RequestParam(defaultValue = "") @Size(max = 200) String prefix,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(defaultValue = "") @Size(max = 200) String cursor) {
        return calls.call(() -> {
            List<Summary> items = leases.list(kind, prefix, cursor, limit);
            return new ResourcePage(items, items.size() < limit ? null : items.get(items.size() - 1).name());
        });
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Force-release every lease (ADMIN)",
            description = "Holders learn it at their next renewal or release (410).")
    public Mono<ResponseEntity<Void>> forceRelease(@PathVariable @ResourceName String name) {
        return calls.call(() -> {
            leases.forceRelease(key(name));
            return ResponseEntity.noContent().build();
        });
    }
}
