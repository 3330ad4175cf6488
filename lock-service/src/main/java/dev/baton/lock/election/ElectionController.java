package dev.baton.lock.election;

import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.ResourceName;
import dev.baton.lock.api.BlockingCalls;
import dev.baton.lock.api.LeaseEndpoints;
import dev.baton.lock.engine.Holder;
import dev.baton.lock.engine.LeaseEngine;
import dev.baton.lock.engine.LeaseKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Leader election: a candidate that campaigns is elected when it gets the election's exclusive
 * lease, stays leader while it renews, and resigns by releasing it. Campaigning is
 * {@link CampaignAcquisition}.
 */
@RestController
@RequestMapping(ElectionController.PATH)
@Tag(name = ElectionController.TAG)
class ElectionController extends LeaseEndpoints {

    static final String PATH = "/api/v1/elections";
    static final String TAG = "Leader election";

    /**
     * The current leader of an election.
     *
     * @param name the election
     * @param leader the leader, or null when there is none
     * @param index the election's version, for blocking queries
     */
    record LeaderView(String name, Holder leader, long index) {}

    ElectionController(LeaseEngine leases, BlockingCalls calls) {
        super(leases, calls, LeaseKind.ELECTION);
    }

    @GetMapping("/{name}/leader")
    @Operation(
            summary = "The leader",
            description = "A blocking query: with index, answers once leadership "
                    + "changes past it or wait elapses. leader is null while there is none.")
    Mono<ResponseEntity<LeaderView>> leader(
            @PathVariable @ResourceName String name,
            @RequestParam(required = false) Long index,
            @RequestParam(required = false) String wait) {
        return watch(name, index, wait)
                .map(snapshot -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(snapshot.version()))
                        .body(new LeaderView(
                                name,
                                snapshot.holders().isEmpty()
                                        ? null
                                        : snapshot.holders().get(0),
                                snapshot.version())));
    }
}
