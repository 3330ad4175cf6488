package dev.baton.client.worker;

import java.time.Instant;

/**
 * Which execution of a job a task is running, from the scheduler's {@code X-Baton-*} headers.
 * Dispatch is at-least-once: {@code executionId} with {@code attempt} (and {@code shardIndex} for a
 * sharded job) is the key that makes a task idempotent.
 *
 * @param executionId the execution, the same for every attempt and shard of one trigger
 * @param attempt the attempt, from 1
 * @param shardIndex this shard, from 0
 * @param shardTotal how many shards the execution has, at least 1
 * @param scheduledAt when the trigger was due
 */
public record TaskContext(long executionId, int attempt, int shardIndex, int shardTotal, Instant scheduledAt) {}
