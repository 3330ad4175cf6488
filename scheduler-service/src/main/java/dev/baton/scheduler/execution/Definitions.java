package dev.baton.scheduler.execution;

import dev.baton.scheduler.job.JobDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job definitions that claimed and ending executions run with, each parsed once per job
 * version: a workflow's fan-out claims a hundred executions of one job, and their outcomes read it
 * a hundred times again. Every change of a job raises its version, so a version names one
 * definition. The least recently used of more than {@value #CAPACITY} jobs are parsed again when
 * they come back.
 */
@Component
class Definitions {

    static final int CAPACITY = 1024;

    private record Parsed(long version, JobDefinition job) {}

    private final JsonMapper json;
    private final Map<UUID, Parsed> parsed = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Parsed> eldest) {
            return size() > CAPACITY;
        }
    };

    Definitions(JsonMapper json) {
        this.json = json;
    }

    /** The definition of {@code jobId} at {@code version}, read from {@code text} unless known. */
    JobDefinition of(UUID jobId, long version, String text) {
        synchronized (parsed) {
            Parsed known = parsed.get(jobId);
            if (known != null && known.version() == version) {
                return known.job();
            }
        }
        JobDefinition job = json.readValue(text, JobDefinition.class);
        synchronized (parsed) {
            Parsed known = parsed.get(jobId);
            if (known == null || known.version() < version) {
                parsed.put(jobId, new Parsed(version, job));
            }
        }
        return job;
    }
}
