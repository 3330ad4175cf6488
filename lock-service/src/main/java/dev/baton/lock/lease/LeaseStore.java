package dev.baton.lock.lease;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Every change to leases, as SQL. Each public method is one transaction that first takes
 * {@code pg_advisory_xact_lock} on a 64-bit hash of the resource, so changes to one resource are
 * serialized across every lock-service replica and released at commit; no advisory lock outlives
 * a transaction. Expiry is always judged with {@code clock_timestamp()}, the database clock.
 *
 * <p>Every transaction first {@linkplain #settle settles} the resource: it removes expired leases
 * and abandoned waiters, then grants waiters in queue order until one cannot be admitted. So the
 * queue is FIFO, and a reader queued behind a writer waits for the writer.
 */
@Repository
public class LeaseStore {

    /** The channel on which every change to a resource is announced, at commit. */
    public static final String CHANNEL = "baton_leases";

    private final JdbcClient jdbc;
    private final TransactionOperations tx;

    public LeaseStore(JdbcClient jdbc, TransactionOperations tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** The outcome of an acquire. */
    public sealed interface Attempt {

        /** What changed on the resource, to announce and to act on locally. */
        Change change();
    }

    /** Granted now, or earlier to the same request id. */
    public record Granted(Lease lease, Change change) implements Attempt {
    }

    /** Queued behind other requests or holders; the waiter's id becomes the lease's id when granted. */
    public record Queued(UUID waiterId, Change change) implements Attempt {
    }

    /** Not granted and not queued. */
    public record Refused(List<Holder> holders, Change change) implements Attempt {
    }

    /** A semaphore asked for with a limit other than the one its holders use. */
    public record LimitMismatch(int limit, Change change) implements Attempt {
    }

    /**
     * A current holder, as inspection and refusals show it (without its lease id).
     *
     * @param owner who holds it
     * @param mode how
     * @param permits how many permits
     * @param token its fencing token
     * @param value an elected leader's value
     * @param grantedAt when it was granted
     * @param expiresAt when it ends unless renewed
     */
    public record Holder(String owner, LeaseMode mode, int permits, long token, String value,
            OffsetDateTime grantedAt, OffsetDateTime expiresAt) {
    }

    /**
     * What a transaction did to a resource.
     *
     * @param resource the resource
     * @param granted the leases granted to waiters (each lease has its waiter's id)
     * @param expired how many leases expired
     * @param nextEventMs milliseconds until the next lease expiry or waiter deadline, or -1
     */
    public record Change(ResourceKey resource, List<Lease> granted, int expired, long nextEventMs) {
    }

    /** What a resource looks like now. */
    public record Snapshot(ResourceKey resource, List<Holder> holders, int waiters, long lastToken,
            Integer permitLimit, long version) {
    }

    /** One resource in a listing. */
    public record Summary(String name, int holders, int waiters, long lastToken) {
    }

    public Attempt acquire(LeaseRequest request, UUID id, boolean mayQueue) {
        return tx.execute(status -> {
            ResourceKey key = request.resource();
            lockResource(key);
            Settled settled = settle(key);
            if (request.requestId() != null) {
                Optional<Lease> earlier = leaseByRequest(key, request.requestId());
                if (earlier.isPresent()) {
                    return new Granted(earlier.get(), finish(settled, false, false));
                }
                Optional<UUID> queued = jdbc.sql("select waiter_id from waiter where kind = :kind and name = :name "
                                + "and request_id = :requestId")
                        .param("kind", key.kind().name()).param("name", key.name())
                        .param("requestId", request.requestId())
                        .query(UUID.class).optional();
                if (queued.isPresent()) {
                    return new Queued(queued.get(), finish(settled, false, true));
                }
            }
            if (request.mode() == LeaseMode.PERMITS) {
                Integer limit = jdbc.sql("select permit_limit from resource where kind = :kind and name = :name")
                        .param("kind", key.kind().name()).param("name", key.name())
                        .query((rs, row) -> (Integer) rs.getObject(1)).optional().orElse(null);
                if (!request.limit().equals(limit)) {
                    if (!settled.holders.isEmpty() || settled.waiters > 0) {
                        return new LimitMismatch(limit, finish(settled, false, false));
                    }
                    jdbc.sql("insert into resource (kind, name, permit_limit) values (:kind, :name, :limit) "
                                    + "on conflict (kind, name) do update set permit_limit = excluded.permit_limit")
                            .param("limit", request.limit()).param("kind", key.kind().name())
                            .param("name", key.name()).update();
                }
            }
            boolean admitted = settled.waiters == 0 && Admission.admits(settled.holdings(), request.mode(),
                    request.permits(), request.limit());
            if (admitted) {
                Lease lease = grant(key, id, request.owner(), request.mode(), request.permits(), request.requestId(),
                        request.value(), request.ttl().toMillis());
                return new Granted(lease, finish(settled, true, false));
            }
            if (!mayQueue) {
                return new Refused(settled.holders, finish(settled, false, false));
            }
            jdbc.sql("insert into resource (kind, name) values (:kind, :name) on conflict do nothing")
                    .param("kind", key.kind().name()).param("name", key.name()).update();
            jdbc.sql("""
                    insert into waiter (waiter_id, kind, name, owner, mode, permits, request_id, value, ttl_ms, deadline)
                    values (:id, :kind, :name, :owner, :mode, :permits, :requestId, :value, :ttlMs,
                            clock_timestamp() + :waitMs * interval '1 millisecond')""")
                    .param("id", id).param("kind", key.kind().name()).param("name", key.name())
                    .param("owner", request.owner()).param("mode", request.mode().name())
                    .param("permits", request.permits()).param("requestId", request.requestId())
                    .param("value", request.value()).param("ttlMs", request.ttl().toMillis())
                    .param("waitMs", request.maxWait().toMillis())
                    .update();
            return new Queued(id, finish(settled, true, true));
        });
    }

    /** Extends a valid lease by {@code ttlMs} (or its own TTL); empty when the lease is gone or expired. */
    public Optional<Lease> renew(ResourceKey key, UUID leaseId, Long ttlMs) {
        return tx.execute(status -> {
            lockResource(key);
            return jdbc.sql("""
                    update lease
                       set expires_at = clock_timestamp() + coalesce(:ttlMs, ttl_ms) * interval '1 millisecond',
                           ttl_ms = coalesce(:ttlMs, ttl_ms)
                     where lease_id = :leaseId and kind = :kind and name = :name and expires_at > clock_timestamp()
                    returning *""")
                    .param("ttlMs", ttlMs).param("leaseId", leaseId)
                    .param("kind", key.kind().name()).param("name", key.name())
                    .query(LeaseStore::lease).optional();
        });
    }

    /**
     * Ends a lease and grants waiters that can now go.
     *
     * @return the change, or empty when the lease was not valid any more (expired, released or revoked)
     */
    public Optional<Change> release(ResourceKey key, UUID leaseId) {
        return tx.execute(status -> {
            lockResource(key);
            int released = jdbc.sql("delete from lease where lease_id = :leaseId and kind = :kind and name = :name "
                            + "and expires_at > clock_timestamp()")
                    .param("leaseId", leaseId).param("kind", key.kind().name()).param("name", key.name())
                    .update();
            Settled settled = settle(key);
            return released == 0 ? Optional.empty() : Optional.of(finish(settled, true, false));
        });
    }

    /** Revokes every lease on a resource; their holders learn it at their next renewal (410). */
    public Change forceRelease(ResourceKey key) {
        return tx.execute(status -> {
            lockResource(key);
            int revoked = jdbc.sql("delete from lease where kind = :kind and name = :name")
                    .param("kind", key.kind().name()).param("name", key.name()).update();
            return finish(settle(key), revoked > 0, false);
        });
    }

    /** Removes expired leases and abandoned waiters, and grants waiters that can now go. */
    public Change reconcile(ResourceKey key) {
        return tx.execute(status -> {
            lockResource(key);
            return finish(settle(key), false, false);
        });
    }

    /**
     * The outcome of a withdrawal.
     *
     * @param lease the lease, when the waiter was granted before it could withdraw
     * @param change what the withdrawal changed (withdrawing the head of a queue can let others go)
     */
    public record Withdrawal(Optional<Lease> lease, Change change) {
    }

    /** Withdraws a waiter whose wait is over, unless it was granted first. */
    public Withdrawal withdraw(ResourceKey key, UUID waiterId) {
        return tx.execute(status -> {
            lockResource(key);
            int withdrawn = jdbc.sql("delete from waiter where waiter_id = :id").param("id", waiterId).update();
            Settled settled = settle(key);
            return new Withdrawal(withdrawn == 1 ? Optional.empty() : findLease(waiterId),
                    finish(settled, withdrawn == 1, false));
        });
    }

    /** The valid lease with this id, if any. */
    public Optional<Lease> findLease(UUID leaseId) {
        return jdbc.sql("select * from lease where lease_id = :id and expires_at > clock_timestamp()")
                .param("id", leaseId).query(LeaseStore::lease).optional();
    }

    public Snapshot inspect(ResourceKey key) {
        Optional<Snapshot> snapshot = jdbc.sql("""
                select last_token, permit_limit, version,
                       (select count(*) from waiter w where w.kind = r.kind and w.name = r.name
                           and w.deadline > clock_timestamp()) as waiters
                  from resource r where kind = :kind and name = :name""")
                .param("kind", key.kind().name()).param("name", key.name())
                .query((rs, row) -> new Snapshot(key, holders(key), rs.getInt("waiters"), rs.getLong("last_token"),
                        (Integer) rs.getObject("permit_limit"), rs.getLong("version")))
                .optional();
        return snapshot.orElse(new Snapshot(key, List.of(), 0, 0, null, 0));
    }

    /** Resources of a kind whose names start with {@code prefix}, after {@code cursor}, in name order. */
    public List<Summary> list(LeaseKind kind, String prefix, String cursor, int limit) {
        return jdbc.sql("""
                select r.name, r.last_token,
                       (select count(*) from lease l where l.kind = r.kind and l.name = r.name
                           and l.expires_at > clock_timestamp()) as holders,
                       (select count(*) from waiter w where w.kind = r.kind and w.name = r.name
                           and w.deadline > clock_timestamp()) as waiters
                  from resource r
                 where r.kind = :kind and r.name like :prefix escape '\\' and r.name > :cursor
                 order by r.name
                 limit :limit""")
                .param("kind", kind.name())
                .param("prefix", prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .param("cursor", cursor).param("limit", limit)
                .query((rs, row) -> new Summary(rs.getString("name"), rs.getInt("holders"), rs.getInt("waiters"),
                        rs.getLong("last_token")))
                .list();
    }

    /** Resources with an expired lease or an abandoned waiter, for the sweeper. */
    public List<ResourceKey> resourcesToSweep(int limit) {
        return jdbc.sql("""
                select kind, name from lease where expires_at <= clock_timestamp()
                union
                select kind, name from waiter where deadline <= clock_timestamp()
                limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> new ResourceKey(LeaseKind.valueOf(rs.getString("kind")), rs.getString("name")))
                .list();
    }

    public long activeLeases() {
        return jdbc.sql("select count(*) from lease where expires_at > clock_timestamp()").query(Long.class).single();
    }

    private void lockResource(ResourceKey key) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", key.kind().name() + ":" + key.name())
                .query((rs, row) -> null).optional();
    }

    /** The state of a resource after expired leases and abandoned waiters are gone and waiters that can go are granted. */
    private record Settled(ResourceKey resource, List<Holder> holders, int waiters, List<Lease> granted, int expired) {

        List<Admission.Holding> holdings() {
            return LeaseStore.holdings(holders);
        }
    }

    private Settled settle(ResourceKey key) {
        List<Integer> expiredCount = new ArrayList<>();
        List<Holder> holders = new ArrayList<>();
        jdbc.sql("""
                with expired as (
                    delete from lease where kind = :kind and name = :name and expires_at <= clock_timestamp()
                    returning 1)
                select (select count(*) from expired) as expired_count, l.*
                  from (select 1) one
                  left join lease l on l.kind = :kind and l.name = :name and l.expires_at > clock_timestamp()
                 order by l.token""")
                .param("kind", key.kind().name()).param("name", key.name())
                .query(rs -> {
                    expiredCount.add(rs.getInt("expired_count"));
                    if (rs.getObject("lease_id") != null) {
                        holders.add(holder(rs));
                    }
                });
        int expired = expiredCount.isEmpty() ? 0 : expiredCount.get(0);
        List<QueuedRequest> queue = jdbc.sql("""
                with abandoned as (
                    delete from waiter where kind = :kind and name = :name and deadline <= clock_timestamp())
                select w.*, r.permit_limit from waiter w join resource r on r.kind = w.kind and r.name = w.name
                 where w.kind = :kind and w.name = :name and w.deadline > clock_timestamp()
                 order by w.seq""")
                .param("kind", key.kind().name()).param("name", key.name())
                .query((rs, row) -> new QueuedRequest((UUID) rs.getObject("waiter_id"), rs.getString("owner"),
                        LeaseMode.valueOf(rs.getString("mode")), rs.getInt("permits"), rs.getString("request_id"),
                        rs.getString("value"), rs.getLong("ttl_ms"), (Integer) rs.getObject("permit_limit")))
                .list();
        List<Lease> granted = new ArrayList<>();
        for (QueuedRequest waiter : queue) {
            if (!Admission.admits(holdings(holders), waiter.mode, waiter.permits, waiter.limit)) {
                break;
            }
            Lease lease = grant(key, waiter.id, waiter.owner, waiter.mode, waiter.permits, waiter.requestId,
                    waiter.value, waiter.ttlMs);
            holders.add(new Holder(lease.owner(), lease.mode(), lease.permits(), lease.token(), lease.value(),
                    null, null));
            granted.add(lease);
        }
        return new Settled(key, holders, queue.size() - granted.size(), granted, expired);
    }

    private static List<Admission.Holding> holdings(List<Holder> holders) {
        return holders.stream().map(holder -> new Admission.Holding(holder.mode(), holder.permits())).toList();
    }

    private record QueuedRequest(UUID id, String owner, LeaseMode mode, int permits, String requestId, String value,
            long ttlMs, Integer limit) {
    }

    /**
     * Grants a lease in one statement: draws the next token, removes the waiter the lease grants
     * (if any: the lease takes its id), and inserts the lease.
     */
    private Lease grant(ResourceKey key, UUID id, String owner, LeaseMode mode, int permits, String requestId,
            String value, long ttlMs) {
        return jdbc.sql("""
                with token as (
                    insert into resource (kind, name, last_token) values (:kind, :name, 1)
                    on conflict (kind, name) do update set last_token = resource.last_token + 1
                    returning last_token),
                granted_waiter as (delete from waiter where waiter_id = :id)
                insert into lease (lease_id, kind, name, owner, mode, permits, token, request_id, value, ttl_ms,
                                   granted_at, expires_at)
                select :id, :kind, :name, :owner, :mode, :permits, token.last_token, :requestId, :value, :ttlMs,
                       clock_timestamp(), clock_timestamp() + :ttlMs * interval '1 millisecond'
                  from token
                returning *""")
                .param("id", id).param("kind", key.kind().name()).param("name", key.name()).param("owner", owner)
                .param("mode", mode.name()).param("permits", permits)
                .param("requestId", requestId).param("value", value).param("ttlMs", ttlMs)
                .query(LeaseStore::lease).single();
    }

    /**
     * Describes what a transaction did. When something changed it bumps the resource's version
     * and, when anyone may need to hear of it (a waiter was granted, requests wait, or a blocking
     * query watches), announces it on {@link #CHANNEL}: one statement in all. A change nobody
     * listens for is not announced, since every NOTIFY serializes commits in PostgreSQL.
     */
    private Change finish(Settled settled, boolean changedByCaller, boolean queued) {
        ResourceKey key = settled.resource;
        boolean changed = changedByCaller || !settled.granted.isEmpty() || settled.expired > 0;
        boolean waitersRemain = queued || settled.waiters > 0;
        if (!changed && !waitersRemain) {
            return new Change(key, List.of(), 0, -1);
        }
        String nextEvent = waitersRemain ? """
                select coalesce(ceil(extract(epoch from least(
                           (select min(expires_at) from lease where kind = :kind and name = :name),
                           (select min(deadline) from waiter where kind = :kind and name = :name))
                       - clock_timestamp()) * 1000), -1)::bigint as ms""" : "select -1::bigint as ms";
        long nextEventMs;
        if (changed) {
            nextEventMs = jdbc.sql("with bumped as (update resource set version = version + 1 "
                            + "where kind = :kind and name = :name "
                            + "returning version, coalesce(watched_until > clock_timestamp(), false) as watched), "
                            + "next as (" + nextEvent + ") "
                            + "select next.ms, case when bumped.watched or :mustAnnounce then pg_notify(:channel, "
                            + ":resource || '|' || next.ms || '|' || :granted) end "
                            + "from bumped, next")
                    .param("kind", key.kind().name()).param("name", key.name()).param("channel", CHANNEL)
                    .param("mustAnnounce", waitersRemain || !settled.granted.isEmpty())
                    .param("resource", LeaseEvents.resourceField(key))
                    .param("granted", LeaseEvents.grantedField(settled.granted.stream().map(Lease::leaseId).toList()))
                    .query((rs, row) -> rs.getLong("ms")).optional().orElse(-1L);
        } else {
            nextEventMs = jdbc.sql(nextEvent).param("kind", key.kind().name()).param("name", key.name())
                    .query(Long.class).single();
        }
        return new Change(key, List.copyOf(settled.granted), settled.expired, nextEventMs);
    }

    /** Notes that a blocking query watches the resource until {@code until} from now, so its changes are announced. */
    public void watch(ResourceKey key, java.time.Duration until) {
        jdbc.sql("""
                insert into resource (kind, name, watched_until)
                values (:kind, :name, clock_timestamp() + :ms * interval '1 millisecond')
                on conflict (kind, name) do update
                   set watched_until = greatest(resource.watched_until, excluded.watched_until)""")
                .param("kind", key.kind().name()).param("name", key.name()).param("ms", until.toMillis())
                .update();
    }

    private List<Holder> holders(ResourceKey key) {
        return jdbc.sql("select * from lease where kind = :kind and name = :name and expires_at > clock_timestamp() "
                        + "order by token")
                .param("kind", key.kind().name()).param("name", key.name())
                .query((rs, row) -> holder(rs))
                .list();
    }

    private static Holder holder(ResultSet rs) throws SQLException {
        return new Holder(rs.getString("owner"), LeaseMode.valueOf(rs.getString("mode")), rs.getInt("permits"),
                rs.getLong("token"), rs.getString("value"), rs.getObject("granted_at", OffsetDateTime.class),
                rs.getObject("expires_at", OffsetDateTime.class));
    }

    private Optional<Lease> leaseByRequest(ResourceKey key, String requestId) {
        return jdbc.sql("select * from lease where kind = :kind and name = :name and request_id = :requestId "
                        + "and expires_at > clock_timestamp()")
                .param("kind", key.kind().name()).param("name", key.name()).param("requestId", requestId)
                .query(LeaseStore::lease).optional();
    }

    private static Lease lease(ResultSet rs, int row) throws SQLException {
        return new Lease((UUID) rs.getObject("lease_id"),
                new ResourceKey(LeaseKind.valueOf(rs.getString("kind")), rs.getString("name")),
                rs.getString("owner"), LeaseMode.valueOf(rs.getString("mode")), rs.getInt("permits"),
                rs.getLong("token"), rs.getString("value"), rs.getLong("ttl_ms"),
                rs.getObject("granted_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant());
    }
}
