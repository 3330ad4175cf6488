package dev.baton.registry.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A registered instance of a service.
 *
 * @param healthy whether its lease is valid on the database clock; an expired instance is only
 *     listed while its service is protected
 */
record Instance(
        String service,
        String instanceId,
        String host,
        int port,
        boolean secure,
        String zone,
        int weight,
        Map<String, String> metadata,
        long ttlMs,
        Instant registeredAt,
        Instant expiresAt,
        boolean healthy) {}
