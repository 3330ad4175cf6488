package dev.baton.scheduler.job;

import dev.baton.common.problem.Problems;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.scheduling.support.CronExpression;

/**
 * The trigger times of a schedule, a job's or a workflow's, in milliseconds, and its rules. A cron
 * schedule follows its zone's wall clock: when daylight saving time skips an hour, a time inside it
 * fires once, moved forward by the gap; when an hour repeats, a time inside it fires only the first time, because a cron
 * trigger must come later on the wall clock than the one before it. A schedule that fell behind
 * (after downtime) resumes from now instead of firing every trigger it missed.
 */
public final class Schedules {

    /** A cron expression's next time is searched for at most this many local times that map to the past. */
    private static final int MAX_WALL_CLOCK_SKIPS = 10_000;

    private Schedules() {}

    /**
     * The time of the first trigger of a schedule (a job's or a workflow's), computed when its
     * owner is created or resumed; null when there is none.
     */
    public static Instant first(JobDefinition.Schedule schedule, Instant now) {
        Instant from = schedule.startAt() != null && schedule.startAt().isAfter(now) ? schedule.startAt() : now;
        Instant first;
        switch (schedule.type()) {
            case CRON:
                first = cron(schedule, from.minusMillis(1), null);
                break;
            case ONCE:
                first = schedule.at();
                break;
            default:
                first = from;
        }
        return bounded(schedule, first == null ? null : first.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * The trigger after {@code previous}, computed when {@code previous} is claimed at {@code now};
     * null when there is none, or, for FIXED_DELAY, when it comes only after completion.
     */
    public static Instant next(JobDefinition.Schedule schedule, Instant previous, Instant now) {
        switch (schedule.type()) {
            case CRON:
                Instant from = previous.isAfter(now) ? previous : now;
                return bounded(schedule, cron(schedule, from, previous));
            case FIXED_RATE:
                long interval = schedule.intervalMs();
                long behind = Math.max(0, now.toEpochMilli() - previous.toEpochMilli());
                return bounded(schedule, previous.plusMillis((behind / interval + 1) * interval));
            default:
                return null;
        }
    }

    /** The trigger of a FIXED_DELAY schedule after an execution or a run finished; null for the other kinds. */
    public static Instant afterCompletion(JobDefinition.Schedule schedule, Instant finished) {
        if (schedule.type() != JobDefinition.ScheduleType.FIXED_DELAY) {
            return null;
        }
        return bounded(
                schedule, finished.truncatedTo(ChronoUnit.MILLIS).plus(Duration.ofMillis(schedule.intervalMs())));
    }

    /** The rules a schedule breaks, each naming its field under {@code schedule}; empty when it keeps them all. */
    public static List<Problems.FieldError> refusals(JobDefinition.Schedule schedule) {
        List<Problems.FieldError> errors = new ArrayList<>();
        switch (schedule.type()) {
            case CRON:
                if (schedule.cron() == null) {
                    errors.add(new Problems.FieldError("schedule.cron", "is required for CRON"));
                } else if (!CronExpression.isValidExpression(schedule.cron())) {
                    errors.add(new Problems.FieldError(
                            "schedule.cron",
                            "is not a valid cron expression "
                                    + "(six fields: second minute hour day-of-month month day-of-week)"));
                }
                if (schedule.zone() != null) {
                    try {
                        ZoneId.of(schedule.zone());
                    } catch (DateTimeException e) {
                        errors.add(new Problems.FieldError("schedule.zone", "is not a known time zone"));
                    }
                }
                break;
            case FIXED_RATE:
            case FIXED_DELAY:
                if (schedule.intervalMs() == null) {
                    errors.add(new Problems.FieldError("schedule.intervalMs", "is required for " + schedule.type()));
                }
                break;
            default:
                if (schedule.at() == null) {
                    errors.add(new Problems.FieldError("schedule.at", "is required for ONCE"));
                }
        }
        if (schedule.startAt() != null
                && schedule.endAt() != null
                && !schedule.endAt().isAfter(schedule.startAt())) {
            errors.add(new Problems.FieldError("schedule.endAt", "must be after startAt"));
        }
        return errors;
    }

    /** The zone of a cron schedule. */
    public static ZoneId zone(JobDefinition.Schedule schedule) {
        return schedule.zone() == null ? ZoneOffset.UTC : ZoneId.of(schedule.zone());
    }

    /**
     * Cron runs on the zone's wall clock: the expression is evaluated on local date-times, each
     * of which must come after the last one fired; a local time in a skipped hour is moved
     * forward by the gap, and one in a repeated hour is taken at its first occurrence.
     */
    private static Instant cron(JobDefinition.Schedule schedule, Instant after, Instant previous) {
        CronExpression cron = CronExpression.parse(schedule.cron());
        ZoneId zone = zone(schedule);
        LocalDateTime cursor = LocalDateTime.ofInstant(after, zone);
        if (previous != null && LocalDateTime.ofInstant(previous, zone).isAfter(cursor)) {
            cursor = LocalDateTime.ofInstant(previous, zone);
        }
        for (int skips = 0; skips < MAX_WALL_CLOCK_SKIPS; skips++) {
            ZonedDateTime local = cron.next(cursor.atZone(ZoneOffset.UTC));
            if (local == null) {
                return null;
            }
            cursor = local.toLocalDateTime();
            Instant candidate = ZonedDateTime.ofLocal(cursor, zone, null).toInstant();
            if (candidate.isAfter(after) && (previous == null || candidate.isAfter(previous))) {
                return candidate;
            }
        }
        return null;
    }

    private static Instant bounded(JobDefinition.Schedule schedule, Instant time) {
        if (time == null || schedule.endAt() != null && time.isAfter(schedule.endAt())) {
            return null;
        }
        return time;
    }
}
