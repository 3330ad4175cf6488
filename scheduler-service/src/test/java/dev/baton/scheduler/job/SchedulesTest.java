package dev.baton.scheduler.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static JobDefinition.Schedule cron(String cron, String zone) {
        return new JobDefinition.Schedule(JobDefinition.ScheduleType.CRON, cron, zone, null, null, null, null);
    }

    /** Fires a schedule from {@code start} on, as replicas claim each trigger on time, until {@code end}. */
    private static List<LocalDateTime> fires(JobDefinition.Schedule job, Instant start, Instant end) {
        List<LocalDateTime> fires = new ArrayList<>();
        for (Instant at = Schedules.first(job, start);
                at != null && at.isBefore(end);
                at = Schedules.next(job, at, at)) {
            fires.add(LocalDateTime.ofInstant(at, BERLIN));
        }
        return fires;
    }

    private static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
    }

    @Test
    void cron_in_the_hour_that_repeats_fires_once() {
        // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET in Berlin.
        List<LocalDateTime> fires =
                fires(cron("0 30 2 * * *", "Europe/Berlin"), berlin("2026-10-24T12:00"), berlin("2026-10-26T12:00"));

        assertThat(fires)
                .containsExactly(LocalDateTime.parse("2026-10-25T02:30"), LocalDateTime.parse("2026-10-26T02:30"));
    }

    @Test
    void every_quarter_hour_does_not_repeat_the_quarters_of_the_repeated_hour() {
        Instant start = berlin("2026-10-25T01:50");
        List<Instant> fires = new ArrayList<>();
        JobDefinition.Schedule job = cron("0 */15 * * * *", "Europe/Berlin");
        for (Instant at = Schedules.first(job, start);
                at.isBefore(start.plusSeconds(4 * 3600));
                at = Schedules.next(job, at, at)) {
            fires.add(at);
        }

        assertThat(fires.stream().map(at -> LocalDateTime.ofInstant(at, BERLIN)).distinct())
                .hasSameSizeAs(fires);
        assertThat(fires.stream().map(at -> LocalDateTime.ofInstant(at, BERLIN).toString()))
                .startsWith(
                        "2026-10-25T02:00",
                        "2026-10-25T02:15",
                        "2026-10-25T02:30",
                        "2026-10-25T02:45",
                        "2026-10-25T03:00");
    }

    @Test
    void cron_in_the_hour_that_is_skipped_fires_once() {
        // 2026-03-29: clocks go forward from 02:00 CET to 03:00 CEST in Berlin; 02:30 does not exist.
        List<LocalDateTime> fires =
                fires(cron("0 30 2 * * *", "Europe/Berlin"), berlin("2026-03-28T12:00"), berlin("2026-03-30T12:00"));

        assertThat(fires)
                .containsExactly(LocalDateTime.parse("2026-03-29T03:30"), LocalDateTime.parse("2026-03-30T02:30"));
    }

    @Test
    void every_half_hour_fires_once_per_real_time_across_the_skipped_hour() {
        List<LocalDateTime> fires =
                fires(cron("0 0,30 * * * *", "Europe/Berlin"), berlin("2026-03-29T01:10"), berlin("2026-03-29T04:10"));

        assertThat(fires.stream().map(LocalDateTime::toString))
                .containsExactly("2026-03-29T01:30", "2026-03-29T03:00", "2026-03-29T03:30", "2026-03-29T04:00");
    }

    @Test
    void fixed_rate_behind_schedule_resumes_from_now_without_a_burst() {
        JobDefinition.Schedule job =
                new JobDefinition.Schedule(JobDefinition.ScheduleType.FIXED_RATE, null, null, 1000L, null, null, null);
        Instant previous = Instant.parse("2026-11-26T10:00:00Z");

        assertThat(Schedules.next(job, previous, previous.plusMillis(3)))
                .isEqualTo(Instant.parse("2026-11-26T10:00:01Z"));
        assertThat(Schedules.next(job, previous, Instant.parse("2026-11-26T10:05:00.500Z")))
                .isEqualTo(Instant.parse("2026-11-26T10:05:01Z"));
    }

    @Test
    void end_at_stops_a_schedule_and_start_at_delays_it() {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        JobDefinition.Schedule job = new JobDefinition.Schedule(
                JobDefinition.ScheduleType.FIXED_RATE,
                null,
                null,
                60_000L,
                null,
                now.plusSeconds(30),
                now.plusSeconds(100));

        assertThat(Schedules.first(job, now)).isEqualTo(now.plusSeconds(30));
        assertThat(Schedules.next(job, now.plusSeconds(30), now.plusSeconds(30)))
                .isEqualTo(now.plusSeconds(90));
        assertThat(Schedules.next(job, now.plusSeconds(90), now.plusSeconds(90)))
                .isNull();
    }

    @Test
    void fixed_delay_follows_completion_and_once_has_no_successor() {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        JobDefinition.Schedule delay =
                new JobDefinition.Schedule(JobDefinition.ScheduleType.FIXED_DELAY, null, null, 500L, null, null, null);
        JobDefinition.Schedule once = new JobDefinition.Schedule(
                JobDefinition.ScheduleType.ONCE, null, null, null, now.plusSeconds(5), null, null);

        assertThat(Schedules.next(delay, now, now)).isNull();
        assertThat(Schedules.afterCompletion(delay, now.plusSeconds(2))).isEqualTo(now.plusMillis(2500));
        assertThat(Schedules.first(once, now)).isEqualTo(now.plusSeconds(5));
        assertThat(Schedules.next(once, now.plusSeconds(5), now.plusSeconds(5))).isNull();
    }
}
