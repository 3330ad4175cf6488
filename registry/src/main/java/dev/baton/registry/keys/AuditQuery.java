package dev.baton.registry.keys;

import java.time.Instant;

/**
 * What to read of the audit log; null fields do not filter.
 *
 * @param before the id below which to read, from the previous page's cursor
 */
record AuditQuery(String keyName, String kind, String name, Instant since, Instant until, Long before) {}
