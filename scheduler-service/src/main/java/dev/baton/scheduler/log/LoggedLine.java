package dev.baton.scheduler.log;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A line as a worker sends it.
 *
 * @param at when it was logged; when the scheduler writes it if absent
 * @param text the line; a longer text is sent as several lines
 */
record LoggedLine(
        Instant at,
        @NotNull @Size(max = LoggedLine.MAX_TEXT) String text) {

    /** The most characters one line may have. */
    static final int MAX_TEXT = 16_384;
}
