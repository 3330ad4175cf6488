package dev.baton.scheduler.execution;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.OutOfScopeException;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.web.BlockingQuery;
import dev.baton.scheduler.job.JobService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A job's executions and statistics, for a key whose jobs scope starts the job's name. The
 * executions are a blocking query on the job's index, which every transition of any of them moves.
 */
@RestController
@RequestMapping("/api/v1/jobs/{id}")
@Tag(name = "Jobs")
@Validated
class JobHistoryController {

    private final JobService jobs;
    private final ExecutionService executions;

    JobHistoryController(JobService jobs, ExecutionService executions) {
        this.jobs = jobs;
        this.executions = executions;
    }

    /**
     * A page of executions, newest first.
     *
     * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
     */
    record ExecutionPage(List<ExecutionView> items, String nextCursor) {}

    /** A page and the job's index it was read at. */
    private record Indexed(long index, ExecutionPage page) {}

    @GetMapping("/executions")
    @Operation(
            summary = "A job's executions, newest first",
            description = "Filter by status. A blocking query: with index, answers once any execution of the job "
                    + "changes past it (X-Baton-Index) or wait elapses.")
    CompletableFuture<ResponseEntity<ExecutionPage>> executions(
            Authentication caller,
            @PathVariable UUID id,
            @RequestParam(required = false) ExecutionStatus status,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @Min(1) Long cursor,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        requireJob(caller, id);
        BlockingQuery query = BlockingQuery.of(index, wait);
        return executions
                .watchJob(id, query, () -> page(id, status, limit, cursor), Indexed::index)
                .thenApply(indexed -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(indexed.index()))
                        .body(indexed.page()));
    }

    private Indexed page(UUID id, ExecutionStatus status, int limit, Long cursor) {
        long index = executions.jobIndex(id);
        List<ExecutionView> items = executions.history(id, status, cursor == null ? Long.MAX_VALUE : cursor, limit);
        return new Indexed(
                index,
                new ExecutionPage(
                        items,
                        items.size() < limit
                                ? null
                                : String.valueOf(items.get(items.size() - 1).id())));
    }

    @GetMapping("/stats")
    @Operation(
            summary = "A job's statistics",
            description =
                    "Counts by status, success rate, duration p50/p95/p99 " + "and last run, over the kept history.")
    JobStats stats(Authentication caller, @PathVariable UUID id) {
        requireJob(caller, id);
        return executions.stats(id);
    }

    /** Refuses a job that does not exist (404), or whose name the key's jobs scope does not reach (403). */
    private void requireJob(Authentication caller, UUID id) {
        String name = jobs.find(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No job has id " + id + "."))
                .name();
        OutOfScopeException.require((ApiKeyPrincipal) caller.getPrincipal(), ResourceKind.JOBS, name);
    }
}
