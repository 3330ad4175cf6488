package dev.baton.scheduler.execution;

import dev.baton.scheduler.SchedulerProperties;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executions as the API reads them (one, a job's history and statistics), and the reports and
 * heartbeats of workers that accepted a call with 202.
 */
@Service
class ExecutionService {

    private final ExecutionQueries queries;
    private final Transitions transitions;
    private final JsonMapper json;
    private final int maxResultBytes;

    ExecutionService(
            ExecutionQueries queries, Transitions transitions, JsonMapper json, SchedulerProperties properties) {
        this.queries = queries;
        this.transitions = transitions;
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
