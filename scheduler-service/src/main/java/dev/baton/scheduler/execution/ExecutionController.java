package dev.baton.scheduler.execution;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Scopes;
import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;

/**
 * Executions: the suite's over a window, read one, and the reports of workers that answered 202
 * and finish on their own.
 */
@RestController
@RequestMapping("/api/v1/executions")
@Tag(name = "Executions")
class ExecutionController {

    /** The longest window a summary covers. */
    static final Duration LONGEST_WINDOW = Duration.ofHours(24);

    private final ExecutionService executions;
    private final Clock clock;

    ExecutionController(ExecutionService executions, Clock clock) {
        this.executions = executions;
        this.clock = clock;
    }

    /** How a call a worker accepted ended. */
    enum ReportedStatus {
        SUCCEEDED,
        FAILED
    }

    /**
     * A worker's report.
     *
     * @param attempt the attempt it was called for (X-Baton-Attempt), required: a report is matched to its attempt
     * @param shardIndex the shard it was called for (X-Baton-Shard-Index); 0 when absent
     */
    record Completion(
            @NotNull ReportedStatus status,
            JsonNode result,
            @Size(max = 100_000) String error,
            @NotNull @Min(1) Integer attempt,
            @Min(0) @Max(999) Integer shardIndex) {}

    /**
     * A worker's heartbeat.
     *
     * @param attempt the attempt it works on; the current one when absent
     */
    record Heartbeat(
            @Min(1) Integer attempt, @Min(0) @Max(999) Integer shardIndex) {}

    /** The deadline after a heartbeat. */
    record Deadline(Instant deadlineAt) {}

    /** A recorded report. */
    record Recorded(long executionId, ExecutionStatus status) {}

    /** A summary and the index of every execution it was read at. */
    private record Indexed(long index, ExecutionSummary summary) {}

    @GetMapping("/summary")
    @Operation(
            summary = "The suite's executions: running now, failed in the last hour, and per minute by status",
            description = "Only the jobs within the key's jobs scope. Each minute from since (rounded down to its "
                    + "minute; an hour ago by default, at most 24 hours) counts the executions that ended in it "
                    + "by their final status. A blocking query: with index, answers once any execution changes "
                    + "past it (X-Baton-Index) or wait elapses.")
    CompletableFuture<ResponseEntity<ExecutionSummary>> summary(
            Authentication caller,
            @Parameter(description = "RFC 3339; an hour ago by default, at most 24 hours ago")
                    @RequestParam(required = false)
                    String since,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        Instant now = clock.instant();
        Instant from = since == null ? now.minus(Duration.ofHours(1)) : since(since, now);
        Scopes scopes = ((ApiKeyPrincipal) caller.getPrincipal()).scopes();
        List<String> prefixes =
                scopes.restricted() ? scopes.byKey().getOrDefault(ResourceKind.JOBS.key(), List.of()) : null;
        return executions
                .watchAll(
                        BlockingQuery.of(index, wait),
                        () -> {
                            long read = executions.index();
                            return new Indexed(read, executions.summary(from, clock.instant(), prefixes));
                        },
                        Indexed::index)
                .thenApply(indexed -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(indexed.index()))
                        .body(indexed.summary()));
    }

    private static Instant since(String since, Instant now) {
        Instant from;
        try {
            from = Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("since", "must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
        if (from.isAfter(now) || from.isBefore(now.minus(LONGEST_WINDOW))) {
            throw new InvalidRequestException("since", "must be within the last 24 hours");
        }
        return from;
    }

    @GetMapping("/{id}")
    @Operation(summary = "An execution with its attempts, shards and results")
    ExecutionView get(@PathVariable long id) {
        return executions.find(id).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/heartbeat")
    @Operation(
            summary = "Keep a long execution alive",
            description = "Moves its deadline to a timeout from now. "
                    + "410 when it is no longer running (it timed out, or was retried, cancelled or recovered).")
    Deadline heartbeat(@PathVariable long id, @Valid @RequestBody(required = false) Heartbeat heartbeat) {
        Integer attempt = heartbeat == null ? null : heartbeat.attempt();
        return executions.heartbeat(id, attempt).map(Deadline::new).orElseThrow(() -> {
            executions.find(id).orElseThrow(() -> notFound(id));
            return new ResponseStatusException(
                    HttpStatus.GONE,
                    "Execution " + id + (attempt == null ? "" : " attempt " + attempt)
                            + " is no longer running; stop working on it.");
        });
    }

    @PostMapping("/{id}/complete")
    @Operation(
            summary = "Report the end of a call the worker accepted with 202",
            description = "The report names the attempt it is of (X-Baton-Attempt); without one it is a 400. "
                    + "409 when the report is of another attempt than the current one, or the attempt is already "
                    + "final.")
    Recorded complete(@PathVariable long id, @Valid @RequestBody Completion completion) {
        Report report = executions.complete(
                id,
                completion.attempt(),
                completion.shardIndex() == null ? 0 : completion.shardIndex(),
                completion.status() == ReportedStatus.SUCCEEDED,
                completion.result(),
                completion.error());
        switch (report) {
            case UNKNOWN:
                throw notFound(id);
            case ALREADY_FINAL:
                throw new ResponseStatusException(
                        HttpStatus.CONFLICT, "Execution " + id + " or this call of it is " + "already final.");
            case OTHER_ATTEMPT:
                throw new ResponseStatusException(
                        HttpStatus.CONFLICT,
                        "Attempt " + completion.attempt() + " is not the current attempt of execution " + id
                                + "; its report changes nothing.");
            default:
                return new Recorded(
                        id, executions.find(id).orElseThrow(() -> notFound(id)).status());
        }
    }

    private static ResponseStatusException notFound(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No execution has id " + id + ".");
    }
}
