package dev.baton.scheduler.execution;

import dev.baton.scheduler.job.JobDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What becomes of an execution once every call of an attempt has finished: SUCCEEDED when all
 * succeeded; otherwise PENDING again after the retry backoff, or FAILED (TIMED_OUT when a call
 * timed out) when no attempt is left. An execution of one call keeps that call's result; one of
 * several (BROADCAST, SHARDED) gets an array of every call's outcome.
 *
 * @param status the execution's new status
 * @param failures its failed attempts so far
 * @param dueAt when it runs again, for PENDING
 */
record Verdict(ExecutionStatus status, int failures, Instant dueAt, String result, String error) {

    static Verdict of(JobDefinition job, int failuresBefore, List<PartResult> parts, Instant now, JsonMapper json) {
        List<PartResult> sorted = parts.stream()
                .sorted(Comparator.comparingInt(PartResult::shardIndex))
                .toList();
        String result = sorted.size() == 1 ? sorted.get(0).result() : combined(sorted, json);
        List<PartResult> failed =
                sorted.stream().filter(part -> !part.succeeded()).toList();
        if (failed.isEmpty()) {
            return new Verdict(ExecutionStatus.SUCCEEDED, failuresBefore, null, result, null);
        }
        String error = sorted.size() == 1
                ? failed.get(0).error()
                : failed.size() + " of " + sorted.size() + " calls failed; shard "
                        + failed.get(0).shardIndex() + ": " + failed.get(0).error();
        int failures = failuresBefore + 1;
        Duration backoff = job.retry().backoffAfter(failures);
        if (backoff != null) {
            return new Verdict(ExecutionStatus.PENDING, failures, now.plus(backoff), result, error);
        }
        boolean timedOut = failed.stream().anyMatch(part -> part.status() == AttemptStatus.TIMED_OUT);
        return new Verdict(
                timedOut ? ExecutionStatus.TIMED_OUT : ExecutionStatus.FAILED, failures, null, result, error);
    }

    boolean isFinal() {
        return status != ExecutionStatus.PENDING;
    }

    private static String combined(List<PartResult> parts, JsonMapper json) {
        ArrayNode array = json.createArrayNode();
        for (PartResult part : parts) {
            ObjectNode node = array.addObject();
            node.put("shardIndex", part.shardIndex());
            node.put("instanceId", part.instanceId());
            node.put("status", part.status().name());
            node.set("result", Results.parse(part.result(), json));
            node.put("error", part.error());
        }
        return json.writeValueAsString(array);
    }
}
