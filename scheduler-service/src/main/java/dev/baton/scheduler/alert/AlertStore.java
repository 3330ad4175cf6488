package dev.baton.scheduler.alert;

import static dev.baton.scheduler.sql.Sql.at;
import static dev.baton.scheduler.sql.Sql.instant;
import static dev.baton.scheduler.sql.Sql.texts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The alert rows and each job's run of failures. Every time here is the database's: the hour of
 * the rate limit, when a delivery is due, how long a replica's claim on one lasts.
 */
@Repository
class AlertStore {

    private static final String ADD = """
            insert into alert (job_id, execution_id, event, channel, payload, status, due_at, created_at)
            select :jobId, :executionId, :event, c.channel, :payload::jsonb || jsonb_build_object('at', now()),
                   case when (select count(*) from alert a
                               where a.job_id = :jobId and a.channel = c.channel and a.status <> 'SUPPRESSED'
                                 and a.created_at > now() - interval '1 hour') >= :limit
                        then 'SUPPRESSED' else 'PENDING' end,
                   now(), now()
              from unnest(:channels::jsonb[]) with ordinality as c(channel, n)
             order by c.n""";

    private static final String CLAIM = """
            update alert a set attempts = a.attempts + 1, due_at = now() + :leaseMs * interval '1 millisecond'
              from (select id from alert
                     where status = 'PENDING' and due_at <= now() and (:mail or channel ->> 'type' <> 'EMAIL')
                     order by due_at
                     limit :limit
                       for update skip locked) as due
             where a.id = due.id
            returning a.id, a.job_id, a.event, a.channel::text as channel, a.payload::text as payload, a.attempts""";

    /**
     * An alert a replica has claimed for one delivery attempt.
     *
     * @param attempts the attempts so far, this one included; the claim's token
     */
    record Claimed(long id, UUID jobId, AlertEvent event, AlertChannel channel, String payload, int attempts) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AlertStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Ends the job's run of failures; true when there was one. */
    boolean resetFailures(UUID jobId) {
        return jdbc.sql("""
                update alert_state set consecutive_failures = 0 where job_id = :jobId and consecutive_failures > 0""").param("jobId", jobId).update() > 0;
    }

    /** Adds a failure to the job's run; returns its length. */
    int countFailure(UUID jobId) {
        return jdbc.sql("""
                insert into alert_state (job_id, consecutive_failures) values (:jobId, 1)
                on conflict (job_id) do update set consecutive_failures = alert_state.consecutive_failures + 1
                returning consecutive_failures""").param("jobId", jobId).query(Integer.class).single();
    }

    /** Locks the job's alert state, so that its rate limit is counted by one transaction at a time. */
    void lockState(UUID jobId) {
        jdbc.sql("""
                insert into alert_state (job_id, consecutive_failures) values (:jobId, 0)
                on conflict (job_id) do update set consecutive_failures = alert_state.consecutive_failures""").param("jobId", jobId).update();
    }

    /**
     * Adds an alert for each channel, PENDING, or SUPPRESSED where the job already sent {@code
     * limit} to that channel within the hour. The caller holds the job's alert state row.
     */
    void add(
            UUID jobId,
            long executionId,
            AlertEvent event,
            List<AlertChannel> channels,
            ObjectNode payload,
            int limit) {
        jdbc.sql(ADD)
                .param("jobId", jobId)
                .param("executionId", executionId)
                .param("event", event.name())
                .param("payload", json.writeValueAsString(payload))
                .param("limit", limit)
                .param("channels", texts(channels.stream().map(json::writeValueAsString)))
                .update();
    }

    /**
     * Claims up to {@code limit} due alerts, each for {@code lease}, after which another replica may
     * take it; emails only when {@code mail}, this replica having an SMTP server.
     */
    List<Claimed> claim(int limit, Duration lease, boolean mail) {
        return jdbc.sql(CLAIM)
                .param("limit", limit)
                .param("mail", mail)
                .param("leaseMs", lease.toMillis())
                .query((rs, n) -> new Claimed(
                        rs.getLong("id"),
                        rs.getObject("job_id", UUID.class),
                        AlertEvent.valueOf(rs.getString("event")),
                        json.readValue(rs.getString("channel"), AlertChannel.class),
                        rs.getString("payload"),
                        rs.getInt("attempts")))
                .list();
    }

    /** Records a delivery, unless another replica has claimed the alert since. */
    void sent(Claimed alert) {
        jdbc.sql("""
                update alert set status = 'SENT', sent_at = now(), last_error = null
                 where id = :id and attempts = :attempts and status = 'PENDING'""")
                .param("id", alert.id())
                .param("attempts", alert.attempts())
                .update();
    }

    /** Records a failed delivery: due again after {@code wait}, or FAILED when {@code wait} is null. */
    void failed(Claimed alert, String error, Duration wait) {
        jdbc.sql("""
                update alert set status = case when :waitMs::bigint is null then 'FAILED' else 'PENDING' end,
                       due_at = now() + coalesce(:waitMs::bigint, 0) * interval '1 millisecond', last_error = :error
                 where id = :id and attempts = :attempts and status = 'PENDING'""")
                .param("id", alert.id())
                .param("attempts", alert.attempts())
                .param("waitMs", wait == null ? null : wait.toMillis())
                .param("error", error)
                .update();
    }

    /** The job's name, if it exists. */
    Optional<String> jobName(UUID jobId) {
        return jdbc.sql("""
                select name from job where id = :jobId""").param("jobId", jobId).query(String.class).optional();
    }

    /** A page of the job's alerts, newest first, with ids below {@code before}. */
    List<AlertView> history(UUID jobId, AlertStatus status, long before, int limit) {
        return jdbc.sql("""
                select id, execution_id, event, channel::text as channel, status, attempts, created_at, sent_at,
                       last_error
                  from alert
                 where job_id = :jobId and id < :before and (:status::text is null or status = :status)
                 order by id desc
                 limit :limit""")
                .param("jobId", jobId)
                .param("before", before)
                .param("status", status == null ? null : status.name())
                .param("limit", limit)
                .query((rs, n) -> new AlertView(
                        rs.getLong("id"),
                        rs.getLong("execution_id"),
                        AlertEvent.valueOf(rs.getString("event")),
                        json.readValue(rs.getString("channel"), AlertChannel.class),
                        AlertStatus.valueOf(rs.getString("status")),
                        rs.getInt("attempts"),
                        instant(rs, "created_at"),
                        instant(rs, "sent_at"),
                        rs.getString("last_error")))
                .list();
    }

    /** Deletes the alerts settled before {@code before}; returns how many. */
    int deleteSettledBefore(Instant before) {
        return jdbc.sql("""
                delete from alert where status <> 'PENDING' and created_at < :before""").param("before", at(before)).update();
    }
}
