package dev.baton.scheduler.job;

import dev.baton.common.tracing.Spans;
import dev.baton.scheduler.routing.Router;
import dev.baton.scheduler.sql.Deadlocks;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Jobs as the API changes them: a definition takes its defaults here, a change that PostgreSQL
 * aborted for a deadlock with a replica's claim runs again, and a deleted job's routing state
 * is forgotten.
 */
@Service
public class JobService {

    private final JobStore store;
    private final Router router;
    private final Spans spans;

    JobService(JobStore store, Router router, Spans spans) {
        this.store = store;
        this.router = router;
        this.spans = spans;
    }

    /** Stores a new job and schedules its first trigger; throws DuplicateKeyException on a taken name. */
    Job create(JobDefinition definition) {
        return Deadlocks.retried(() -> store.create(definition.withDefaults()));
    }

    public Optional<Job> find(UUID id) {
        return store.find(id);
    }

    /** The jobs of these ids that exist, in no order. */
    public List<Job> find(Collection<UUID> ids) {
        return store.find(ids);
    }

    /** The jobs whose names come after {@code cursor}, in name order. */
    List<Job> list(String cursor, int limit) {
        return store.list(cursor, limit);
    }

    /**
     * Replaces a job's definition and its pending trigger; empty when it does not exist; throws
     * DuplicateKeyException on a taken name.
     */
    Optional<Job> replace(UUID id, JobDefinition definition) {
        return Deadlocks.retried(() -> store.replace(id, definition.withDefaults()));
    }

    /** Pauses or resumes a job; empty when it does not exist. */
    Optional<Job> setEnabled(UUID id, boolean enabled) {
        return Deadlocks.retried(() -> store.setEnabled(id, enabled));
    }

    /**
     * Deletes a job and its history unless a workflow's nodes run it; empty when it does not
     * exist, else the names of the workflows that keep it, none when it was deleted.
     */
    Optional<List<String>> delete(UUID id) {
        Optional<List<String>> keptBy = Deadlocks.retried(() -> store.delete(id));
        if (keptBy.isPresent() && keptBy.get().isEmpty()) {
            router.forget(id);
        }
        return keptBy;
    }

    /**
     * Adds a trigger due now, whether the job is paused or not; the new execution's id, or empty
     * without the job. Its attempts go on with the trace of the request that triggers it.
     */
    Optional<Long> trigger(UUID id) {
        return store.trigger(id, spans.currentTraceparent());
    }
}
