package dev.baton.lock.election;

import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.ResourceName;
import dev.baton.lock.api.BlockingCalls;
import dev.baton.lock.api.LeaseEndpoints;
import dev.baton.lock.api.LeaseLimits;
import dev.baton.lock.api.LeaseResponse;
import dev.baton.lock.engine.Holder;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import dev.baton.lock.engine.LeaseMode;
import dev.baton.lock.engine.LeaseRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Leader election: a candidate that campaigns is elected when it gets the election's exclusive
 * lease, stays leader while it renews, and resigns by releasing it.
 */
@RestController
@RequestMapping(ElectionController.PATH)
@Tag(name = "Leader election")
class ElectionController extends LeaseEndpoints {

    static final String PATH = "/api/v1/elections";

    /**
     * A campaign.
     *
     * @param candidate who campaigns
     * @param value what the leader advertises to observers (an address, say)
     * @param ttlMs how long leadership lasts without a renewal (default 30000)
     * @param waitMs how long to wait to be elected (default 0: try once)
     * @param requestId makes the campaign idempotent
     */
    record Campaign(@NotBlank @Size(max = 200) String candidate, @Size(max = 4096) String value,
            @Min(LeaseLimits.MIN_TTL_MS) @Max(LeaseLimits.MAX_TTL_MS) Long ttlMs,
            @Min(0) @Max(LeaseLimits.MAX_WAIT_MS) Long waitMs,
            @Size(min = 1, max = 200) String requestId) {
    }

    /**
     * The current leader of an election.
     *
     * @param name the election
     * @param leader the leader, or null when there is none
     * @param index the election's version, for blocking queries
     */
    record LeaderView(String name, Holder leader, long index) {
    }

    ElectionController(LeaseEngine leases, BlockingCalls calls) {
        super(leases, calls, LeaseKind.ELECTION, PATH);
    }

    @PostMapping("/{name}/campaign")
    @Operation(summary = "Campaign", description = "201 with the leader's lease when elected; 409 when not "
            + "elected within waitMs. Renew the lease to stay leader; release it to resign.")
    Mono<ResponseEntity<LeaseResponse>> campaign(@PathVariable @ResourceName String name,
            @Valid @RequestBody Campaign body, Principal principal) {
        return acquire(new LeaseRequest(key(name), caller(principal), body.candidate(),
                LeaseMode.EXCLUSIVE, 1, null, LeaseLimits.ttlOf(body.ttlMs()), LeaseLimits.maxWaitOf(body.waitMs()),
                body.requestId(), body.value()));
    }

    @GetMapping("/{name}/leader")
    @Operation(summary = "The leader", description = "A blocking query: with index, answers once leadership "
            + "changes past it or wait elapses. leader is null while there is none.")
    Mono<ResponseEntity<LeaderView>> leader(@PathVariable @ResourceName String name,
            @RequestParam(required = false) Long index, @RequestParam(required = false) String wait) {
        return watch(name, index, wait).map(snapshot -> ResponseEntity.ok()
                .header(BlockingQuery.INDEX_HEADER, String.valueOf(snapshot.version()))
                .body(new LeaderView(name, snapshot.holders().isEmpty() ? null : snapshot.holders().get(0),
                        snapshot.version())));
    }
}
