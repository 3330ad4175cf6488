package dev.baton.scheduler.workflow;

import dev.baton.common.problem.Problems;
import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.OutOfScopeException;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Scopes;
import dev.baton.scheduler.job.Job;
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
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.ErrorResponseException;
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
 * Workflows: create, read, list, replace, delete, trigger, and their runs. A key with a {@code
 * workflows} scope reaches the workflows whose names it starts, and lists only those; creating or
 * replacing one also needs its {@code jobs} scope to reach every job the nodes run.
 */
@RestController
@RequestMapping("/api/v1/workflows")
@Tag(name = "Workflows")
@Validated
class WorkflowController {

    private final WorkflowService workflows;
    private final WorkflowValidator validator;

    WorkflowController(WorkflowService workflows, WorkflowValidator validator) {
        this.workflows = workflows;
        this.validator = validator;
    }

    /**
     * A page of workflows.
     *
     * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
     */
    record WorkflowPage(List<Workflow> items, String nextCursor) {}

    /**
     * A page of runs, newest first.
     *
     * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
     */
    record RunPage(List<RunView> items, String nextCursor) {}

    /** The run a trigger added. */
    record Triggered(long runId) {}

    @PostMapping
    @Operation(
            summary = "Create a workflow",
            description = "A DAG of nodes, each running a job, and edges on SUCCESS, FAILURE or ALWAYS. A cycle, a "
                    + "node's unknown job or an edge to no node is a 400 naming it. Its first scheduled run is "
                    + "added at once when it has a schedule and enabled is not false.")
    ResponseEntity<Workflow> create(Authentication caller, @Valid @RequestBody WorkflowDefinition definition) {
        requireScopes(caller, definition, validator.validate(definition).values());
        Workflow workflow = saved(definition, () -> workflows.create(definition));
        return ResponseEntity.created(URI.create("/api/v1/workflows/" + workflow.id()))
                .body(workflow);
    }

    @GetMapping
    @Operation(summary = "List workflows in name order", description = "Only those within the key's workflows scope.")
    WorkflowPage list(
            Authentication caller,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(defaultValue = "") @Size(max = 200) String cursor) {
        List<Workflow> items = workflows.list(cursor, limit);
        Scopes scopes = holder(caller).scopes();
        String next = items.size() < limit ? null : items.get(items.size() - 1).name();
        return new WorkflowPage(
                items.stream()
                        .filter(workflow -> scopes.permits(ResourceKind.WORKFLOWS, workflow.name()))
                        .toList(),
                next);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read a workflow")
    Workflow get(Authentication caller, @PathVariable UUID id) {
        Workflow workflow = workflows.find(id).orElseThrow(() -> notFound(id));
        OutOfScopeException.require(holder(caller), ResourceKind.WORKFLOWS, workflow.name());
        return workflow;
    }

    @PutMapping("/{id}")
    @Operation(
            summary = "Replace a workflow's definition",
            description = "Its pending scheduled run is replaced by one of the new schedule; runs already started "
                    + "go on with the definition they started with.")
    Workflow replace(Authentication caller, @PathVariable UUID id, @Valid @RequestBody WorkflowDefinition definition) {
        List<Job> jobs = List.copyOf(validator.validate(definition).values());
        requireScope(caller, id);
        requireScopes(caller, definition, jobs);
        return saved(definition, () -> workflows.replace(id, definition)).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @Operation(
            summary = "Delete a workflow and its runs (ADMIN)",
            description = "Executions its runs started go on as their jobs' executions.")
    ResponseEntity<Void> delete(Authentication caller, @PathVariable UUID id) {
        requireScope(caller, id);
        if (!workflows.delete(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/trigger")
    @Operation(
            summary = "Run a workflow now",
            description = "Adds a run due now, also while the workflow is paused; its concurrency policy applies.")
    ResponseEntity<Triggered> trigger(Authentication caller, @PathVariable UUID id) {
        requireScope(caller, id);
        long run = workflows.trigger(id).orElseThrow(() -> notFound(id));
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/workflow-runs/" + run))
                .body(new Triggered(run));
    }

    @GetMapping("/{id}/runs")
    @Operation(summary = "A workflow's runs, newest first", description = "Without their nodes: read a run for those.")
    RunPage runs(
            Authentication caller,
            @PathVariable UUID id,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @Min(1) Long cursor) {
        Workflow workflow = workflows.find(id).orElseThrow(() -> notFound(id));
        OutOfScopeException.require(holder(caller), ResourceKind.WORKFLOWS, workflow.name());
        List<RunView> items = workflows.runs(id, cursor == null ? Long.MAX_VALUE : cursor, limit);
        return new RunPage(
                items,
                items.size() < limit
                        ? null
                        : String.valueOf(items.get(items.size() - 1).id()));
    }

    private static ApiKeyPrincipal holder(Authentication caller) {
        return (ApiKeyPrincipal) caller.getPrincipal();
    }

    /** Refuses a definition whose name, or any of whose jobs, the key's scopes do not reach. */
    private static void requireScopes(Authentication caller, WorkflowDefinition definition, Iterable<Job> jobs) {
        ApiKeyPrincipal holder = holder(caller);
        OutOfScopeException.require(holder, ResourceKind.WORKFLOWS, definition.name());
        jobs.forEach(job -> OutOfScopeException.require(holder, ResourceKind.JOBS, job.name()));
    }

    /**
     * Refuses a change to a workflow whose name the key's workflows scope does not reach; a key
     * without scopes costs no read. A workflow that does not exist is left to the change, which
     * answers 404.
     */
    private void requireScope(Authentication caller, UUID id) {
        ApiKeyPrincipal holder = holder(caller);
        if (holder.scopes().restricted()) {
            workflows
                    .find(id)
                    .ifPresent(
                            workflow -> OutOfScopeException.require(holder, ResourceKind.WORKFLOWS, workflow.name()));
        }
    }

    /**
     * Makes a change that saves a definition: a taken name is 409, and a job deleted since the
     * definition was checked is the 400 it would have been.
     */
    private static <T> T saved(WorkflowDefinition definition, Supplier<T> change) {
        try {
            return change.get();
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT, "A workflow named '" + definition.name() + "' exists.");
        } catch (DataIntegrityViolationException e) {
            throw new ErrorResponseException(
                    HttpStatus.BAD_REQUEST,
                    Problems.validation(
                            "The workflow definition is invalid.",
                            List.of(new Problems.FieldError("nodes", "name a job that was deleted meanwhile"))),
                    null);
        }
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No workflow has id " + id + ".");
    }
}
