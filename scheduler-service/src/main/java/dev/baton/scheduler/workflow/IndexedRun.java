package dev.baton.scheduler.workflow;

/** A run with its nodes, and its index, which every change of the run or its nodes moves. */
record IndexedRun(long index, RunView run) {}
