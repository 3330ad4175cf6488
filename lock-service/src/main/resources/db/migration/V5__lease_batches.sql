-- Lease calls in batches: calls that a replica has waiting at the same moment go to PostgreSQL
-- together, as one round trip and one transaction, and so one commit. Each call of a batch is
-- the same function as alone, run in order, and answers the same rows, tagged with its place
-- in the batch.
--
-- A batch never waits for a resource's advisory lock while it holds others: inside a batch,
-- lease_lock only tries the lock, and a call whose resource another session holds answers one
-- BUSY row instead, its own changes undone. The replica runs that call again alone, where it
-- waits for the lock as long as lock_timeout allows. So batches cannot deadlock each other, and
-- a resource stalled by another session delays only the calls on it.

create or replace function lease_lock(p_kind text, p_name text) returns void language plpgsql as $$
begin
    if current_setting('baton.lease_batch', true) = 'on' then
        if not pg_try_advisory_xact_lock(hashtextextended(p_kind || ':' || p_name, 0)) then
            raise exception 'lease resource % % is busy', p_kind, p_name using errcode = 'BL001';
        end if;
    else
        perform pg_advisory_xact_lock(hashtextextended(p_kind || ':' || p_name, 0));
    end if;
end;
$$;

create type lease_batch_outcome as (
    call          integer,
    what          text,
    lease_id      uuid,
    owner         text,
    mode          text,
    permits       integer,
    token         bigint,
    value         text,
    ttl_ms        bigint,
    granted_at    timestamptz,
    expires_at    timestamptz,
    replica_id    uuid,
    expired       integer,
    next_event_ms bigint
);

-- Runs calls 1..n of the arrays, call i being p_ops[i] (acquire, renew, release, withdraw,
-- force_release or reconcile) with the i-th element of each array its function takes. p_flags
-- is withdraw's drop_grant.
create function lease_batch(p_ops text[], p_kinds text[], p_names text[], p_ids uuid[], p_owners text[],
        p_modes text[], p_permits integer[], p_limits integer[], p_ttls bigint[], p_waits bigint[],
        p_scopes text[], p_request_ids text[], p_fingerprints text[], p_values text[], p_replicas uuid[],
        p_flags boolean[])
        returns setof lease_batch_outcome language plpgsql as $$
declare
    i integer;
begin
    perform set_config('baton.lease_batch', 'on', true);
    for i in 1 .. cardinality(p_ops) loop
        begin
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
        exception when sqlstate 'BL001' then
            return next row(i, 'BUSY', null, null, null, null, null, null, null, null, null, null, null,
                            null)::lease_batch_outcome;
        end;
    end loop;
    perform set_config('baton.lease_batch', 'off', true);
end;
$$;
