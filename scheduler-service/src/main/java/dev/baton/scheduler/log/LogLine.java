package dev.baton.scheduler.log;

import java.time.Instant;

/**
 * A line of an execution's log, as the API shows it.
 *
 * @param seq its number in the execution's log, from 1, in the order lines were written
 * @param attempt the attempt that logged it
 * @param shardIndex the shard that logged it
 * @param at when the worker logged it, or when it was written when the worker did not say
 */
record LogLine(long seq, int attempt, int shardIndex, LineKind kind, Instant at, String text) {}
