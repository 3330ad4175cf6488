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
 * several (BROADCAST, SHARDED) gets an array of every call's result.
 *
 * @param status the execution's new status
 * @param failures its failed attempts so far
 * @param dueAt when it runs again, for PENDING
 */
record Verdict(ExecutionStatus status, int failures, Instant dueAt, String result, String error) {

    static Verdict of(JobDefinition job, int failuresBefore, List<CallResult> calls, Instant now, JsonMapper json) {
        List<CallResult> sorted = calls.stream()
                .sorted(Comparator.comparingInt(CallResult::shardIndex))
                .toList();
        String result = sorted.size() == 1 ? sorted.get(0).result() : combined(sorted, json);
        List<CallResult> failed =
                sorted.stream().filter(call -> !call.succeeded()).toList();
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
        boolean timedOut = failed.stream().anyMatch(call -> call.status() == AttemptStatus.TIMED_OUT);
        return new Verdict(
                timedOut ? ExecutionStatus.TIMED_OUT : ExecutionStatus.FAILED, failures, null, result, error);
    }

    boolean isFinal() {
        return status != ExecutionStatus.PENDING;
    }

    private static String combined(List<CallResult> calls, JsonMapper json) {
        ArrayNode array = json.createArrayNode();
        for (CallResult call : calls) {
            ObjectNode node = array.addObject();
            node.put("shardIndex", call.shardIndex());
            node.put("instanceId", call.instanceId());
            node.put("status", call.status().name());
            node.set("result", Results.parse(call.result(), json));
            node.put("error", call.error());
        }
        return json.writeValueAsString(array);
    }
}
