package dev.baton.scheduler.workflow;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.OutOfScopeException;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.web.BlockingQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A run of a workflow, with each node's status and execution, for a key whose workflows scope
 * starts the workflow's name. A blocking query on the run's index, which every change of the run
 * or of one of its nodes moves.
 */
@RestController
@RequestMapping("/api/v1/workflow-runs")
@Tag(name = "Workflows")
class WorkflowRunController {

    private final WorkflowService workflows;

    WorkflowRunController(WorkflowService workflows) {
        this.workflows = workflows;
    }

    @GetMapping("/{runId}")
    @Operation(
            summary = "A run with each node's status and execution",
            description = "A blocking query: with index, answers once the run or one of its nodes changes past it "
                    + "(X-Baton-Index) or wait elapses.")
    CompletableFuture<ResponseEntity<RunView>> get(
            Authentication caller,
            @PathVariable long runId,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        ApiKeyPrincipal holder = (ApiKeyPrincipal) caller.getPrincipal();
        if (holder.scopes().restricted()) {
            String workflow = workflows.workflowOfRun(runId).orElseThrow(() -> notFound(runId));
            OutOfScopeException.require(holder, ResourceKind.WORKFLOWS, workflow);
        }
        return workflows.watchRun(runId, query).thenApply(found -> {
            IndexedRun run = found.orElseThrow(() -> notFound(runId));
            return ResponseEntity.ok()
                    .header(BlockingQuery.INDEX_HEADER, String.valueOf(run.index()))
                    .body(run.run());
        });
    }

    private static ResponseStatusException notFound(long runId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No workflow run has id " + runId + ".");
    }
}
