package dev.baton.scheduler.job;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.OutOfScopeException;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Jobs: create, read, replace, delete, pause, resume and trigger. A key with a {@code jobs} scope
 * reaches the jobs whose names it starts, and lists only those.
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs")
@Validated
class JobController {

    private final JobService jobs;
    private final JobValidator validator;

    JobController(JobService jobs, JobValidator validator) {
        this.jobs = jobs;
        this.validator = validator;
    }

    /**
     * A page of jobs.
     *
     * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
     */
    record JobPage(List<Job> items, String nextCursor) {}

    /** The execution a trigger added. */
    record Triggered(long executionId) {}

    @PostMapping
    @Operation(
            summary = "Create a job",
            description = "Its first trigger is scheduled at once unless enabled is false.")
    ResponseEntity<Job> create(Authentication caller, @Valid @RequestBody JobDefinition definition) {
        validator.validate(definition);
        OutOfScopeException.require(holder(caller), ResourceKind.JOBS, definition.name());
        Job job = unique(definition, () -> jobs.create(definition));
        return ResponseEntity.created(URI.create("/api/v1/jobs/" + job.id())).body(job);
    }

    @GetMapping
    @Operation(summary = "List jobs in name order", description = "Only those within the key's jobs scope.")
    JobPage list(
            Authentication caller,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(defaultValue = "") @Size(max = 200) String cursor) {
        List<Job> items = jobs.list(cursor, limit);
        Scopes scopes = holder(caller).scopes();
        String next = items.size() < limit ? null : items.get(items.size() - 1).name();
        return new JobPage(
                items.stream()
                        .filter(job -> scopes.permits(ResourceKind.JOBS, job.name()))
                        .toList(),
                next);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a job")
    Job get(Authentication caller, @PathVariable UUID id) {
        Job job = jobs.find(id).orElseThrow(() -> notFound(id));
        OutOfScopeException.require(holder(caller), ResourceKind.JOBS, job.name());
        return job;
    }

    @PutMapping("/{id}")
    @Operation(
            summary = "Replace a job's definition",
            description = "Its pending trigger is replaced by one of the "
                    + "new schedule; executions already running finish as they are.")
    Job replace(Authentication caller, @PathVariable UUID id, @Valid @RequestBody JobDefinition definition) {
        validator.validate(definition);
        requireScope(caller, id);
        OutOfScopeException.require(holder(caller), ResourceKind.JOBS, definition.name());
        return unique(definition, () -> jobs.replace(id, definition)).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @Operation(
            summary = "Delete a job and its history (ADMIN)",
            description = "409 while a workflow's nodes run it: take it out of the workflow, or delete that, first.")
    ResponseEntity<Void> delete(Authentication caller, @PathVariable UUID id) {
        requireScope(caller, id);
        List<String> workflows = jobs.delete(id).orElseThrow(() -> notFound(id));
        if (!workflows.isEmpty()) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "Job " + id + " runs in the workflow(s) " + String.join(", ", workflows)
                            + ": take it out of them, or delete them, first.");
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/pause")
    @Operation(
            summary = "Pause a job",
            description = "Its pending trigger is dropped; running executions and " + "pending retries go on.")
    Job pause(Authentication caller, @PathVariable UUID id) {
        requireScope(caller, id);
        return jobs.setEnabled(id, false).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume a paused job", description = "Its schedule goes on from now.")
    Job resume(Authentication caller, @PathVariable UUID id) {
        requireScope(caller, id);
        return jobs.setEnabled(id, true).orElseThrow(() -> notFound(id));
    }

    @PostMapping("/{id}/trigger")
    @Operation(summary = "Run a job now", description = "Adds an execution due now, also while the job is paused.")
    ResponseEntity<Triggered> trigger(Authentication caller, @PathVariable UUID id) {
        requireScope(caller, id);
        long execution = jobs.trigger(id).orElseThrow(() -> notFound(id));
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/executions/" + execution))
                .body(new Triggered(execution));
    }

    private static ApiKeyPrincipal holder(Authentication caller) {
        return (ApiKeyPrincipal) caller.getPrincipal();
    }

    /**
     * Refuses a change to a job whose name the key's jobs scope does not reach; a key without
     * scopes costs no read. A job that does not exist is left to the change, which answers 404.
     */
    private void requireScope(Authentication caller, UUID id) {
        ApiKeyPrincipal holder = holder(caller);
        if (holder.scopes().restricted()) {
            jobs.find(id).ifPresent(job -> OutOfScopeException.require(holder, ResourceKind.JOBS, job.name()));
        }
    }

    private static <T> T unique(JobDefinition definition, Supplier<T> change) {
        try {
            return change.get();
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "A job named '" + definition.name() + "' exists.");
        }
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No job has id " + id + ".");
    }
}
