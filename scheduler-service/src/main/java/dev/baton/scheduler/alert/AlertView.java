package dev.baton.scheduler.alert;

import java.time.Instant;

/**
 * An alert as {@code GET /api/v1/jobs/{id}/alerts} shows it.
 *
 * @param executionId the execution that caused it
 * @param attempts how many times its delivery was tried
 * @param sentAt when its channel took it; null unless SENT
 * @param lastError why its last delivery failed, or null
 */
record AlertView(
        long id,
        long executionId,
        AlertEvent event,
        AlertChannel channel,
        AlertStatus status,
        int attempts,
        Instant createdAt,
        Instant sentAt,
        String lastError) {}
