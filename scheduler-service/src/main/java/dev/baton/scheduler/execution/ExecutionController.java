package dev.baton.scheduler.execution;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;

/** Executions: read one, and the reports of workers that answered 202 and finish on their own. */
@RestController
@RequestMapping("/api/v1/executions")
@Tag(name = "Executions")
class ExecutionController {

    private final ExecutionService executions;

    ExecutionController(ExecutionService executions) {
        this.executions = executions;
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
