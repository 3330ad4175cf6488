package dev.baton.registry.config;

import java.time.Instant;

/**
 * One version of a key.
 *
 * @param value the value, or null when this version deleted the key
 */
record Version(long version, String value, String contentType, Instant changedAt, boolean deleted) {}
