package dev.baton.lock.engine;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lease engine's SQL. Every change is one call of a function of the migration
 * {@code V3__lease_functions.sql}, serialized per resource by {@code pg_advisory_xact_lock} and
 * issued in autocommit, alone or in a batch with changes that wait at the same moment
 * ({@link LeaseBatches}): one round trip and one transaction for all of them. The functions hold
 * the algorithm; this class only passes arguments and reads the rows that say what changed.
 */
@Component
class LeaseStore {

    /** The channel on which grants and changes that waiters need are announced, at commit. */
    static final String CHANNEL = "baton_leases";

    private final JdbcClient jdbc;
    private final LeaseBatches batches;

    LeaseStore(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.batches = new LeaseBatches(jdbc, LeaseStore::outcome, meters);
    }

    /** What a row of {@code lease_outcome} says. */
    enum What {
        GRANTED,
        QUEUED,
        REFUSED,
        HOLDER,
        LIMIT,
        CONFLICT,
        RENEWED,
        RELEASED,
        LOST,
        WITHDRAWN,
        WOKEN,
        EXPIRED,
        SETTLED,
        /** In a batch: the resource was held by another session, so the call runs again alone. */
        BUSY
    }

    /** One row of {@code lease_outcome}. */
    record Outcome(
            What what,
            UUID id,
            String owner,
            LeaseMode mode,
            Integer permits,
            Long token,
            String value,
            Long ttlMs,
            OffsetDateTime grantedAt,
            OffsetDateTime expiresAt,
            UUID replica,
            int expired,
            long nextEventMs) {

        Lease lease(ResourceKey resource) {
            return new Lease(
                    id,
                    resource,
                    owner,
                    mode,
                    permits,
                    token,
                    value,
                    ttlMs,
                    grantedAt.toInstant(),
                    expiresAt.toInstant());
        }

        Holder holder() {
            return new Holder(owner, mode, permits, token, value, grantedAt, expiresAt);
        }
    }

    /**
     * Everything a call answered.
     *
     * @param resource the resource it was on
     * @param rows its rows, in order
     */
    record Reply(ResourceKey resource, List<Outcome> rows) {

        /** The row that answers the caller (the first that is neither settling nor a holder). */
        Outcome answer() {
            return rows.stream()
                    .filter(row -> row.what() != What.WOKEN
                            && row.what() != What.EXPIRED
                            && row.what() != What.HOLDER
                            && row.what() != What.SETTLED)
                    .findFirst()
                    .orElseThrow();
        }

        List<Holder> holders() {
            return rows.stream()
                    .filter(row -> row.what() == What.HOLDER)
                    .map(Outcome::holder)
                    .toList();
        }

        Change change() {
            List<Grant> granted = new ArrayList<>();
            Outcome settled = null;
            for (Outcome row : rows) {
                if (row.what() == What.WOKEN) {
                    granted.add(new Grant(row.lease(resource), row.replica()));
                } else if (row.what() == What.SETTLED) {
                    settled = row;
                }
            }
            return settled == null
                    ? new Change(resource, granted, 0, -1)
                    : new Change(resource, granted, settled.expired(), settled.nextEventMs());
        }
    }

    /**
     * A waiter granted by a call.
     *
     * @param lease its lease, which has the waiter's id
     * @param replica the replica its request waits on
     */
    record Grant(Lease lease, UUID replica) {}

    /**
     * What a call did to a resource, to act on locally.
     *
     * @param resource the resource
     * @param granted the waiters it granted
     * @param expired how many leases expired
     * @param nextEventMs milliseconds until the next lease expiry or waiter deadline while waiters remain, or -1
     */
    record Change(ResourceKey resource, List<Grant> granted, int expired, long nextEventMs) {}

    Reply acquire(LeaseRequest request, UUID id, boolean mayQueue, UUID replica) {
        return call(
                LeaseBatches.Function.ACQUIRE,
                request.resource(),
                id,
                request.owner(),
                request.mode().name(),
                request.permits(),
                request.limit(),
                request.ttl().toMillis(),
                mayQueue ? request.maxWait().toMillis() : 0,
                request.caller(),
                request.requestId(),
                request.requestId() == null ? null : request.fingerprint(),
                request.value(),
                replica);
    }

    Reply renew(ResourceKey key, UUID leaseId, Long ttlMs) {
        return call(LeaseBatches.Function.RENEW, key, leaseId, ttlMs);
    }

    Reply release(ResourceKey key, UUID leaseId) {
        return call(LeaseBatches.Function.RELEASE, key, leaseId);
    }

    Reply forceRelease(ResourceKey key) {
        return call(LeaseBatches.Function.FORCE_RELEASE, key);
    }

    Reply reconcile(ResourceKey key) {
        return call(LeaseBatches.Function.RECONCILE, key);
    }

    /**
     * Withdraws a waiter. When it was granted first, the reply answers GRANTED with the lease, or,
     * with {@code dropGrant} (nobody is left to receive it), the lease is released.
     */
    Reply withdraw(ResourceKey key, UUID waiterId, boolean dropGrant) {
        return call(LeaseBatches.Function.WITHDRAW, key, waiterId, dropGrant);
    }

    private Reply call(LeaseBatches.Function function, ResourceKey key, Object... args) {
        return new Reply(key, batches.run(new LeaseBatches.Call(function, key, args)));
    }

    /** The valid lease with this id, if any. */
    Optional<Lease> findLease(UUID leaseId) {
        return jdbc.sql("select * from lease where lease_id = ? and expires_at > clock_timestamp()")
                .param(leaseId)
                .query(LeaseStore::lease)
                .optional();
    }

    /** Whether a waiter with this id is queued. */
    boolean isQueued(UUID waiterId) {
        return jdbc.sql("select exists (select 1 from waiter where waiter_id = ?)")
                .param(waiterId)
                .query(Boolean.class)
                .single();
    }

    Snapshot inspect(ResourceKey key) {
        Optional<Snapshot> snapshot = jdbc.sql("""
                select last_token, permit_limit, version,
                       (select count(*) from waiter w where w.kind = r.kind and w.name = r.name
                           and w.deadline > clock_timestamp()) as waiters
                  from resource r where kind = ? and name = ?""")
                .params(key.kind().name(), key.name())
                .query((rs, row) -> new Snapshot(
                        key,
                        holders(key),
                        rs.getInt("waiters"),
                        rs.getLong("last_token"),
                        (Integer) rs.getObject("permit_limit"),
                        rs.getLong("version")))
                .optional();
        return snapshot.orElse(new Snapshot(key, List.of(), 0, 0, null, 0));
    }

    /**
     * The versions of these resources now (0 for a resource never used), for blocking queries
     * that watch changes made on other replicas.
     */
    List<Long> versions(List<ResourceKey> keys) {
        String[] kinds = keys.stream().map(key -> key.kind().name()).toArray(String[]::new);
        String[] names = keys.stream().map(ResourceKey::name).toArray(String[]::new);
        return jdbc.sql("""
                select coalesce(r.version, 0) from unnest(?::text[], ?::text[]) with ordinality as k(kind, name, i)
                  left join resource r on r.kind = k.kind and r.name = k.name
                 order by k.i""").params(kinds, names).query(Long.class).list();
    }

    /**
     * The index of a listing by prefix: the sum of its resources' versions. Every change to a
     * resource bumps its version and no resource row is ever deleted, so the sum grows with every
     * change under the prefix and never falls.
     */
    long listingIndex(LeaseKind kind, String prefix) {
        return jdbc.sql("""
                select coalesce(sum(version), 0) from resource
                 where kind = :kind and name like :pattern escape '\\'""")
                .param("kind", kind.name())
                .param("pattern", likePrefix(prefix))
                .query(Long.class)
                .single();
    }

    /** The valid leases of the resources of a kind whose names start with {@code prefix}. */
    long leases(LeaseKind kind, String prefix) {
        return jdbc.sql("""
                select count(*) from lease
                 where kind = :kind and name like :pattern escape '\\' and expires_at > clock_timestamp()""")
                .param("kind", kind.name())
                .param("pattern", likePrefix(prefix))
                .query(Long.class)
                .single();
    }

    /** Resources of a kind whose names start with {@code prefix}, after {@code cursor}, in name order. */
    List<Summary> list(LeaseKind kind, String prefix, String cursor, int limit) {
        return jdbc.sql("""
                select r.name, r.last_token,
                       (select count(*) from lease l where l.kind = r.kind and l.name = r.name
                           and l.expires_at > clock_timestamp()) as holders,
                       (select count(*) from waiter w where w.kind = r.kind and w.name = r.name
                           and w.deadline > clock_timestamp()) as waiters
                  from resource r
                 where r.kind = ? and r.name like ? escape '\\' and r.name > ?
                 order by r.name
                 limit ?""")
                .params(kind.name(), likePrefix(prefix), cursor, limit)
                .query((rs, row) -> new Summary(
                        rs.getString("name"), rs.getInt("holders"), rs.getInt("waiters"), rs.getLong("last_token")))
                .list();
    }

    /**
     * Resources the sweeper settles: with an expired lease, a waiter out of time, or a waiter whose
     * replica is dead.
     */
    List<ResourceKey> resourcesToSweep(int limit) {
        return jdbc.sql("""
                select kind, name from lease where expires_at <= clock_timestamp()
                union
                select kind, name from waiter where deadline <= clock_timestamp() or not lease_replica_alive(replica_id)
                limit ?""")
                .param(limit)
                .query((rs, row) -> new ResourceKey(LeaseKind.valueOf(rs.getString("kind")), rs.getString("name")))
                .list();
    }

    long activeLeases() {
        return jdbc.sql("select count(*) from lease where expires_at > clock_timestamp()")
                .query(Long.class)
                .single();
    }

    /**
     * Records this replica as alive for {@code ttl} more, with the backend of its LISTEN connection.
     *
     * @return whether it was recorded as alive until now; false when its record had lapsed or was gone
     */
    boolean heartbeat(UUID replica, int listenerPid, OffsetDateTime listenerStarted, Duration ttl) {
        return jdbc.sql("""
                with previous as (select expires_at > clock_timestamp() as alive from replica where replica_id = ?)
                insert into replica (replica_id, listener_pid, listener_started, expires_at)
                values (?, ?, ?, clock_timestamp() + ? * interval '1 ms')
                on conflict (replica_id) do update
                   set listener_pid = excluded.listener_pid, listener_started = excluded.listener_started,
                       expires_at = excluded.expires_at
                returning coalesce((select alive from previous), false)""")
                .params(replica, replica, listenerPid, listenerStarted, ttl.toMillis())
                .query(Boolean.class)
                .single();
    }

    /** Forgets this replica, whose waiters are gone: it is shutting down. */
    void leave(UUID replica) {
        jdbc.sql("delete from replica where replica_id = ?").param(replica).update();
    }

    /** Forgets replicas dead for longer than {@code after}. */
    int forgetDeadReplicas(Duration after) {
        return jdbc.sql("delete from replica where expires_at < clock_timestamp() - ? * interval '1 ms'")
                .param(after.toMillis())
                .update();
    }

    private List<Holder> holders(ResourceKey key) {
        return jdbc.sql("select * from lease where kind = ? and name = ? and expires_at > clock_timestamp() "
                        + "order by token")
                .params(key.kind().name(), key.name())
                .query((rs, row) -> new Holder(
                        rs.getString("owner"),
                        LeaseMode.valueOf(rs.getString("mode")),
                        rs.getInt("permits"),
                        rs.getLong("token"),
                        rs.getString("value"),
                        rs.getObject("granted_at", OffsetDateTime.class),
                        rs.getObject("expires_at", OffsetDateTime.class)))
                .list();
    }

    private static Outcome outcome(ResultSet rs, int row) throws SQLException {
        String mode = rs.getString("mode");
        return new Outcome(
                What.valueOf(rs.getString("what")),
                (UUID) rs.getObject("lease_id"),
                rs.getString("owner"),
                mode == null ? null : LeaseMode.valueOf(mode),
                (Integer) rs.getObject("permits"),
                (Long) rs.getObject("token"),
                rs.getString("value"),
                (Long) rs.getObject("ttl_ms"),
                rs.getObject("granted_at", OffsetDateTime.class),
                rs.getObject("expires_at", OffsetDateTime.class),
                (UUID) rs.getObject("replica_id"),
                rs.getInt("expired"),
                rs.getLong("next_event_ms"));
    }

    private static Lease lease(ResultSet rs, int row) throws SQLException {
        return new Lease(
                (UUID) rs.getObject("lease_id"),
                new ResourceKey(LeaseKind.valueOf(rs.getString("kind")), rs.getString("name")),
                rs.getString("owner"),
                LeaseMode.valueOf(rs.getString("mode")),
                rs.getInt("permits"),
                rs.getLong("token"),
                rs.getString("value"),
                rs.getLong("ttl_ms"),
                rs.getObject("granted_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant());
    }

    /** A LIKE pattern for names that start with {@code prefix}, its wildcards escaped. */
    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
