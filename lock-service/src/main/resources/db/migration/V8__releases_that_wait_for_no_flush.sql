-- A release that grants nobody commits without waiting for its WAL to reach the disk (or a
-- synchronous standby), unless the session sets baton.durable_releases to true (docs/adr/0019):
-- * Nothing that depends on it can outlive it: a later commit that saw the release (a grant of
--   the name, say) flushes the WAL up to its own record, the release's included, before it is
--   acknowledged.
-- * If the primary crashes before the release reaches the disk, the lease is back as it was, valid
--   until its expiry: the name is held by nobody for up to a TTL, and no token is drawn twice.
-- * A release that grants a waiter, and every other call, still waits for its commit to be
--   durable.
-- A call alone decides for its own transaction; a batch commits without waiting only when each of
-- its calls is such a release.

-- Records that the current call is a release that granted nobody, and lets its transaction commit
-- without waiting for the WAL flush when that may be.
create function lease_lenient_commit() returns void language plpgsql as $$
begin
    if current_setting('baton.durable_releases', true) = 'true' then
        return;
    end if;
    if current_setting('baton.lease_batch', true) = 'on' then
        perform set_config('baton.lenient_calls',
                           (coalesce(nullif(current_setting('baton.lenient_calls', true), ''), '0')::integer + 1)::text,
                           true);
    else
        perform set_config('synchronous_commit', 'off', true);
    end if;
end;
$$;

-- Release, as in V7; on a resource nobody waits for, its commit need not wait for the flush.
create or replace function lease_release(p_kind text, p_name text, p_lease uuid)
        returns setof lease_outcome language plpgsql as $$
declare
    v_released boolean;
    v_settled lease_outcome[];
    v_expired integer;
begin
    perform lease_lock(p_kind, p_name);
    delete from lease where lease_id = p_lease and kind = p_kind and name = p_name
       and expires_at > clock_timestamp();
    v_released := found;
    if exists (select 1 from waiter where kind = p_kind and name = p_name) then
        v_settled := array(select lease_settle(p_kind, p_name));
        return query select * from unnest(v_settled);
    else
        v_expired := lease_expire(p_kind, p_name);
        if v_expired > 0 then
            return next lease_expired_row('EXPIRED', v_expired);
        end if;
    end if;
    return next row(case when v_released then 'RELEASED' else 'LOST' end, p_lease, null, null, null, null, null,
                    null, null, null, null, null, null)::lease_outcome;
    if v_settled is not null then
        return next lease_finish(p_kind, p_name, v_released, v_settled);
    else
        if v_released or v_expired > 0 then
            update resource set version = version + 1 where kind = p_kind and name = p_name;
        end if;
        perform lease_lenient_commit();
        return next lease_expired_row('SETTLED', v_expired);
    end if;
end;
$$;

-- Runs calls 1..n as in V7; commits without waiting for the flush when every call may.
create or replace function lease_batch(p_ops text[], p_kinds text[], p_names text[], p_ids uuid[], p_owners text[],
        p_modes text[], p_permits integer[], p_limits integer[], p_ttls bigint[], p_waits bigint[],
        p_scopes text[], p_request_ids text[], p_fingerprints text[], p_values text[], p_replicas uuid[],
        p_flags boolean[])
        returns setof lease_batch_outcome language plpgsql as $$
declare
    i integer;
begin
    perform set_config('baton.lease_batch', 'on', true);
    perform set_config('baton.lenient_calls', '0', true);
    for i in 1 .. cardinality(p_ops) loop
        if not pg_try_advisory_xact_lock(hashtextextended(p_kinds[i] || ':' || p_names[i], 0)) then
            return next row(i, 'BUSY', null, null, null, null, null, null, null, null, null, null, null,
                            null)::lease_batch_outcome;
            continue;
        end if;
        case p_ops[i]
            when 'acquire' then
                return query select i, o.* from lease_acquire(p_kinds[i], p_names[i], p_ids[i], p_owners[i],
                    p_modes[i], p_permits[i], p_limits[i], p_ttls[i], p_waits[i], p_scopes[i],
                    p_request_ids[i], p_fingerprints[i], p_values[i], p_replicas[i]) o;
            when 'renew' then
                return query select i, o.* from lease_renew(p_kinds[i], p_names[i], p_ids[i], p_ttls[i]) o;
            when 'release' then
                return query select i, o.* from lease_release(p_kinds[i], p_names[i], p_ids[i]) o;
            when 'withdraw' then
                return query select i, o.* from lease_withdraw(p_kinds[i], p_names[i], p_ids[i], p_flags[i]) o;
            when 'force_release' then
                return query select i, o.* from lease_force_release(p_kinds[i], p_names[i]) o;
            when 'reconcile' then
                return query select i, o.* from lease_reconcile(p_kinds[i], p_names[i]) o;
        end case;
    end loop;
    if current_setting('baton.lenient_calls')::integer = cardinality(p_ops) then
        perform set_config('synchronous_commit', 'off', true);
    end if;
    perform set_config('baton.lease_batch', 'off', true);
end;
$$;
