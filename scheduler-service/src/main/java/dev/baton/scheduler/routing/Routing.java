package dev.baton.scheduler.routing;

/** How a job's routing picks instances of its target service. */
public enum Routing {
    ROUND_ROBIN,
    RANDOM,
    CONSISTENT_HASH,
    LEAST_ACTIVE,
    FAILOVER,
    BROADCAST,
    SHARDED
}
