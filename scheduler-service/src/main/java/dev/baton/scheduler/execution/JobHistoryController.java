package dev.baton.scheduler.execution;

import dev.baton.scheduler.job.JobStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** A job's executions and statistics. */
@RestController
@RequestMapping("/api/v1/jobs/{id}")
@Tag(name = "Jobs")
@Validated
class JobHistoryController {

    private final JobStore jobs;
    private final ExecutionQueries queries;

    JobHistoryController(JobStore jobs, ExecutionQueries queries) {
        this.jobs = jobs;
        this.queries = queries;
    }

    /**
     * A page of executions, newest first.
     *
     * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
     */
    record ExecutionPage(List<ExecutionView> items, String nextCursor) {}

    @GetMapping("/executions")
    @Operation(summary = "A job's executions, newest first", description = "Filter by status.")
    ExecutionPage executions(
            @PathVariable UUID id,
            @RequestParam(required = false) ExecutionStatus status,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @Min(1) Long cursor) {
        requireJob(id);
        List<ExecutionView> items = queries.history(id, status, cursor == null ? Long.MAX_VALUE : cursor, limit);
        return new ExecutionPage(
                items,
                items.size() < limit
                        ? null
                        : String.valueOf(items.get(items.size() - 1).id()));
    }

    @GetMapping("/stats")
    @Operation(
            summary = "A job's statistics",
            description =
                    "Counts by status, success rate, duration p50/p95/p99 " + "and last run, over the kept history.")
    ExecutionQueries.JobStats stats(@PathVariable UUID id) {
        requireJob(id);
        return queries.stats(id);
    }

    private void requireJob(UUID id) {
        if (jobs.find(id).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No job has id " + id + ".");
        }
    }
}
