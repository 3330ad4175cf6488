package dev.baton.scheduler.workflow;

import dev.baton.common.events.Watches;
import dev.baton.common.web.BlockingQuery;
import dev.baton.scheduler.sql.Deadlocks;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * Workflows as the API changes them, and their runs as it reads them: a definition takes its
 * defaults here, and a change that PostgreSQL aborted for a deadlock with a replica's start of a
 * run runs again.
 */
@Service
class WorkflowService {

    private final WorkflowStore store;
    private final RunQueries runs;
    private final Watches runWatches;

    WorkflowService(WorkflowStore store, RunQueries runs, Watches runWatches) {
        this.store = store;
        this.runs = runs;
        this.runWatches = runWatches;
    }

    /** Stores a new workflow and schedules its first run; throws DuplicateKeyException on a taken name. */
    Workflow create(WorkflowDefinition definition) {
        return Deadlocks.retried(() -> store.create(definition.withDefaults()));
    }

    Optional<Workflow> find(UUID id) {
        return store.find(id);
    }

    /** The workflows whose names come after {@code cursor}, in name order. */
    List<Workflow> list(String cursor, int limit) {
        return store.list(cursor, limit);
    }

    /**
     * Replaces a workflow's definition and its pending scheduled run; empty when it does not exist;
     * throws DuplicateKeyException on a taken name.
     */
    Optional<Workflow> replace(UUID id, WorkflowDefinition definition) {
        return Deadlocks.retried(() -> store.replace(id, definition.withDefaults()));
    }

    /** Deletes a workflow and its runs; false when it did not exist. */
    boolean delete(UUID id) {
        return Deadlocks.retried(() -> store.delete(id));
    }

    /** Adds a run due now; the new run's id, or empty without the workflow. */
    Optional<Long> trigger(UUID id) {
        return store.trigger(id);
    }

    /** A workflow's runs, newest first, after the run id {@code before}. */
    List<RunView> runs(UUID workflowId, long before, int limit) {
        return runs.list(workflowId, before, limit);
    }

    /** The name of the workflow a run belongs to; empty when the run does not exist. */
    Optional<String> workflowOfRun(long runId) {
        return runs.workflowName(runId);
    }

    /**
     * A run with its nodes, read now when its index is past the query's (or the query does not
     * block), else once the run changes or the query's wait passes; empty when it does not exist.
     */
    CompletableFuture<Optional<IndexedRun>> watchRun(long runId, BlockingQuery query) {
        return runWatches.watch(
                String.valueOf(runId),
                query,
                () -> runs.find(runId),
                run -> run.map(IndexedRun::index).orElse(Long.MAX_VALUE));
    }
}
