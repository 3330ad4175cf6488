package dev.baton.registry.keys;

import java.time.Instant;

/** One change made with a key. */
record AuditEntry(
        long id,
        Instant at,
        String keyName,
        String method,
        String kind,
        String name,
        int status,
        String remoteAddress) {}
