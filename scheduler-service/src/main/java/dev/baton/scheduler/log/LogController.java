package dev.baton.scheduler.log;

import dev.baton.common.web.BlockingQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * An execution's log: the lines its workers send, per attempt, and its reading as a blocking
 * query. Both reach an execution only within the key's jobs scope (ExecutionScopes, on every route
 * under {@code /api/v1/executions/{id}}).
 */
@RestController
@RequestMapping("/api/v1/executions/{id}/log")
@Tag(name = "Executions")
@Validated
class LogController {

    /** The most lines one batch may have. */
    static final int MAX_LINES = 1000;

    private final ExecutionLogs logs;

    LogController(ExecutionLogs logs) {
        this.logs = logs;
    }

    /**
     * Lines a worker logged while it ran one call of an attempt.
     *
     * @param attempt the attempt it was called for (X-Baton-Attempt)
     * @param shardIndex the shard it was called for (X-Baton-Shard-Index); 0 when absent
     * @param lines in the order they were logged
     */
    record LogBatch(
            @NotNull @Min(1) Integer attempt,
            @Min(0) @Max(999) Integer shardIndex,
            @NotNull @Size(min = 1, max = MAX_LINES) List<@NotNull @Valid LoggedLine> lines) {}

    /**
     * What the attempt's log kept of a batch.
     *
     * @param accepted the lines kept
     * @param dropped the lines past the attempt's cap (baton.scheduler.logs.max-attempt-size), not kept: every
     *        later line of the attempt will be dropped too
     */
    record Taken(int accepted, int dropped) {}

    @PostMapping
    @Operation(
            summary = "Add lines to an attempt's log",
            description = "The lines of one call (attempt and shard), in the order they were logged, at most "
                    + MAX_LINES + " of at most " + LoggedLine.MAX_TEXT + " characters each. An attempt's log keeps "
                    + "up to baton.scheduler.logs.max-attempt-size of text: the lines past it are dropped (dropped), "
                    + "and a TRUNCATED line marks where. 404 for an unknown execution; 409 for an attempt that "
                    + "has not started.")
    Taken append(@PathVariable long id, @Valid @RequestBody LogBatch batch) {
        ExecutionLogs.Appended appended =
                logs.append(id, batch.attempt(), batch.shardIndex() == null ? 0 : batch.shardIndex(), batch.lines());
        return switch (appended.outcome()) {
            case UNKNOWN -> throw notFound(id);
            case NOT_STARTED ->
                throw new ResponseStatusException(
                        HttpStatus.CONFLICT,
                        "Attempt " + batch.attempt() + " of execution " + id + " has not started; the latest is "
                                + appended.currentAttempt() + ".");
            case WRITTEN, FULL -> new Taken(appended.accepted(), appended.dropped());
        };
    }

    @GetMapping
    @Operation(
            summary = "An execution's log",
            description = "The lines after cursor (a seq), each with its attempt and shard, by seq. A blocking "
                    + "query: with index, answers once a line past it is written (X-Baton-Index is the seq of "
                    + "the last line) or the execution ends, or wait elapses. A finished execution's log answers "
                    + "at once.")
    CompletableFuture<ResponseEntity<LogPage>> read(
            @PathVariable long id,
            @Parameter(description = "the seq of the last line seen; 0 for the first page")
                    @RequestParam(defaultValue = "0")
                    @Min(0)
                    long cursor,
            @RequestParam(defaultValue = "500") @Min(1) @Max(MAX_LINES) int limit,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        return logs.watch(id, BlockingQuery.of(index, wait), cursor, limit)
                .thenApply(found -> found.map(indexed -> ResponseEntity.ok()
                                .header(BlockingQuery.INDEX_HEADER, String.valueOf(indexed.index()))
                                .body(indexed.page()))
                        .orElseThrow(() -> notFound(id)));
    }

    private static ResponseStatusException notFound(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No execution has id " + id + ".");
    }
}
