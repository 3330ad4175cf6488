package dev.baton.scheduler.execution;

import dev.baton.common.events.Watches;
import dev.baton.common.web.BlockingQuery;
import dev.baton.scheduler.SchedulerProperties;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executions as the API reads them (one, a job's history and statistics, the suite's summary) and
 * their blocking queries, and the reports and heartbeats of workers that accepted a call with 202.
 */
@Service
class ExecutionService {

    private final ExecutionQueries queries;
    private final Transitions transitions;
    private final Watches executionWatches;
    private final JsonMapper json;
    private final int maxResultBytes;

    ExecutionService(
            ExecutionQueries queries,
            Transitions transitions,
            Watches executionWatches,
            JsonMapper json,
            SchedulerProperties properties) {
        this.queries = queries;
        this.transitions = transitions;
        this.executionWatches = executionWatches;
        this.json = json;
        this.maxResultBytes =
                (int) Math.min(Integer.MAX_VALUE, properties.maxResultSize().toBytes());
    }

    Optional<ExecutionView> find(long id) {
        return queries.find(id);
    }

    /** A job's executions, newest first, after the execution id {@code before}. */
    List<ExecutionView> history(UUID jobId, ExecutionStatus status, long before, int limit) {
        return queries.history(jobId, status, before, limit);
    }

    JobStats stats(UUID jobId) {
        return queries.stats(jobId);
    }

    /** The index of a job's executions, which every transition of any of them moves; 0 before the first. */
    long jobIndex(UUID jobId) {
        return queries.jobIndex(jobId);
    }

    /** The index of every execution: the last change number given out. */
    long index() {
        return queries.index();
    }

    /**
     * The executions of the jobs whose names start with one of {@code prefixes} (every job when it
     * is null) over {@code [since, until)}, by the minute they ended in.
     */
    ExecutionSummary summary(Instant since, Instant until, List<String> prefixes) {
        return queries.summary(since, until, prefixes);
    }

    /**
     * Reads {@code read} now when its index is past the query's (or the query does not block), else
     * once an execution of the job changes or the query's wait passes.
     */
    <T> CompletableFuture<T> watchJob(UUID jobId, BlockingQuery query, Supplier<T> read, ToLongFunction<T> indexOf) {
        return executionWatches.watch(jobId.toString(), query, read, indexOf);
    }

    /**
     * Reads {@code read} now when its index is past the query's (or the query does not block), else
     * once any execution changes or the query's wait passes.
     */
    <T> CompletableFuture<T> watchAll(BlockingQuery query, Supplier<T> read, ToLongFunction<T> indexOf) {
        return executionWatches.watch(ExecutionChangesConfiguration.ANY, query, read, indexOf);
    }

    /** Moves a running execution's deadline to a timeout from now; empty when it does not run that attempt. */
    Optional<Instant> heartbeat(long id, Integer attempt) {
        return transitions.heartbeat(id, attempt);
    }

    /** Records a worker's report of a call; its result and error are kept up to baton.scheduler.max-result-size. */
    Report complete(long id, int attempt, int shardIndex, boolean succeeded, JsonNode result, String error) {
        String kept = result == null || result.isNull()
                ? null
                : Results.capped(json.writeValueAsString(result), maxResultBytes);
        return transitions.complete(id, attempt, shardIndex, succeeded, kept, Results.capped(error, maxResultBytes));
    }
}
