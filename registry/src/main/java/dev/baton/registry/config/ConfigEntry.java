package dev.baton.registry.config;

import java.time.Instant;

/**
 * A key's current value.
 *
 * @param version the key's version: 1 when first written, one more at every write or deletion
 * @param modifyIndex the namespace's index at the write, for blocking queries
 */
record ConfigEntry(
        String namespace,
        String key,
        String value,
        String contentType,
        long version,
        long modifyIndex,
        Instant updatedAt) {}
