-- Lease calls that do less on the common path, with the same algorithm and the same rows:
-- * A batch tries each call's advisory lock before it runs the call, and answers BUSY for a name
--   another session holds. No call then has anything to undo, so none needs a subtransaction.
-- * Acquire and release on a name nobody waits for settle it by expiring its leases, the whole of
--   settling there, and end without lease_finish: there is nobody to grant and nobody to tell.
-- * A token is drawn by an update of the resource's row, which is inserted only the first time,
--   and the row's pages keep room for its new versions (HOT updates, no index writes).
-- * lease and waiter lose their foreign keys to resource. Every function writes the resource's
--   row before a lease or a waiter of it, under the name's advisory lock, and each check cost a
--   query for every insert.

alter table lease drop constraint lease_kind_name_fkey;
alter table waiter drop constraint waiter_kind_name_fkey;
alter table resource set (fillfactor = 50);

create or replace function lease_lock(p_kind text, p_name text) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended(p_kind || ':' || p_name, 0));
end;
$$;

-- Runs calls 1..n of the arrays, as in V5. A call whose resource another session holds answers
-- one BUSY row, and changes nothing.
create or replace function lease_batch(p_ops text[], p_kinds text[], p_names text[], p_ids uuid[], p_owners text[],
        p_modes text[], p_permits integer[], p_limits integer[], p_ttls bigint[], p_waits bigint[],
        p_scopes text[], p_request_ids text[], p_fingerprints text[], p_values text[], p_replicas uuid[],
        p_flags boolean[])
        returns setof lease_batch_outcome language plpgsql as $$
declare
    i integer;
begin
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
end;
$$;

-- Draws the next token, bumps the version, and inserts the lease, as in V6.
create or replace function lease_grant(p_kind text, p_name text, p_id uuid, p_owner text, p_mode text, p_permits integer,
        p_ttl_ms bigint, p_scope text, p_request_id text, p_fingerprint text, p_value text)
        returns lease language plpgsql as $$
declare
    v_token bigint;
    l lease;
begin
    update resource set last_token = last_token + 1, version = version + 1
     where kind = p_kind and name = p_name
    returning last_token into v_token;
    if not found then
        insert into resource (kind, name, last_token, version) values (p_kind, p_name, 1, 1)
        returning last_token into v_token;
    end if;
    insert into lease (lease_id, kind, name, owner, mode, permits, token, scope, request_id, fingerprint, value,
                       ttl_ms, granted_at, expires_at)
    values (p_id, p_kind, p_name, p_owner, p_mode, p_permits, v_token, p_scope, p_request_id,
           p_fingerprint, p_value, p_ttl_ms, clock_timestamp(), clock_timestamp() + p_ttl_ms * interval '1 ms')
    returning * into l;
    return l;
end;
$$;

-- Expires the resource's leases: the whole of settling a resource nobody waits for. Answers how
-- many expired.
create function lease_expire(p_kind text, p_name text) returns integer language plpgsql as $$
declare
    v_expired integer;
begin
    delete from lease where kind = p_kind and name = p_name and expires_at <= clock_timestamp();
    get diagnostics v_expired = row_count;
    return v_expired;
end;
$$;

-- The EXPIRED row of settling, and the SETTLED row that ends a call on a resource nobody waits for.
create function lease_expired_row(p_what text, p_expired integer) returns lease_outcome language sql immutable as $$
    select row(p_what, null, null, null, null, null, null, null, null, null, null, p_expired,
               case when p_what = 'SETTLED' then -1 end)::lease_outcome;
$$;

-- Acquire, as in V6. When nobody waits for the resource and no requestId or semaphore limit is
-- to be checked, a grant or a refusal ends the call at once.
create or replace function lease_acquire(p_kind text, p_name text, p_id uuid, p_owner text, p_mode text,
        p_permits integer, p_limit integer, p_ttl_ms bigint, p_wait_ms bigint, p_scope text,
        p_request_id text, p_fingerprint text, p_value text, p_replica uuid)
        returns setof lease_outcome language plpgsql as $$
declare
    v_settled lease_outcome[] := '{}';
    v_expired integer;
    v_limit integer;
    v_holders bigint;
    v_exclusive bigint;
    v_permits bigint;
    v_changed boolean := false;
    l lease;
    w waiter;
    o lease_outcome;
begin
    perform lease_lock(p_kind, p_name);
    if p_request_id is null and p_mode <> 'PERMITS'
            and not exists (select 1 from waiter where kind = p_kind and name = p_name) then
        v_expired := lease_expire(p_kind, p_name);
        if v_expired > 0 then
            o := lease_expired_row('EXPIRED', v_expired);
            v_settled := array[o];
            return next o;
        end if;
        select count(*), count(*) filter (where mode = 'EXCLUSIVE') into v_holders, v_exclusive
          from lease where kind = p_kind and name = p_name;
        if lease_admits(p_mode, p_permits, null, v_holders, v_exclusive, 0) then
            l := lease_grant(p_kind, p_name, p_id, p_owner, p_mode, p_permits, p_ttl_ms, p_scope, null, null, p_value);
            return next lease_row('GRANTED', l);
            return next lease_expired_row('SETTLED', v_expired);
            return;
        elsif p_wait_ms <= 0 then
            return next row('REFUSED', null, null, null, null, null, null, null, null, null, null, null,
                            null)::lease_outcome;
            return query select (lease_row('HOLDER', h)).* from lease h where h.kind = p_kind and h.name = p_name
                          order by h.token;
            if v_expired > 0 then
                update resource set version = version + 1 where kind = p_kind and name = p_name;
            end if;
            return next lease_expired_row('SETTLED', v_expired);
            return;
        end if;
    else
        v_settled := array(select lease_settle(p_kind, p_name));
        return query select * from unnest(v_settled);
    end if;
    if p_request_id is not null then
        select * into l from lease where kind = p_kind and name = p_name and scope is not distinct from p_scope
           and request_id = p_request_id;
        if found then
            if l.fingerprint is distinct from p_fingerprint then
                o := lease_row('CONFLICT', l);
                o.value := l.fingerprint;
                return next o;
            else
                return next lease_row('GRANTED', l);
            end if;
            return next lease_finish(p_kind, p_name, false, v_settled);
            return;
        end if;
        select * into w from waiter where kind = p_kind and name = p_name and scope is not distinct from p_scope
           and request_id = p_request_id;
        if found then
            if w.fingerprint is distinct from p_fingerprint then
                return next row('CONFLICT', w.waiter_id, w.owner, w.mode, w.permits, null, w.fingerprint,
                                w.ttl_ms, null, null, null, null, null)::lease_outcome;
            else
                update waiter set replica_id = p_replica where waiter_id = w.waiter_id;
                return next row('QUEUED', w.waiter_id, w.owner, w.mode, w.permits, null, null, w.ttl_ms, null,
                                null, null, null, null)::lease_outcome;
            end if;
            return next lease_finish(p_kind, p_name, false, v_settled);
            return;
        end if;
    end if;
    if p_mode = 'PERMITS' then
        select permit_limit into v_limit from resource where kind = p_kind and name = p_name;
        if v_limit is distinct from p_limit then
            if exists (select 1 from lease where kind = p_kind and name = p_name)
                    or exists (select 1 from waiter where kind = p_kind and name = p_name) then
                return next row('LIMIT', null, null, null, v_limit, null, null, null, null, null, null, null,
                                null)::lease_outcome;
                return next lease_finish(p_kind, p_name, false, v_settled);
                return;
            end if;
            insert into resource (kind, name, permit_limit) values (p_kind, p_name, p_limit)
            on conflict (kind, name) do update set permit_limit = excluded.permit_limit;
        end if;
    end if;
    select count(*), count(*) filter (where mode = 'EXCLUSIVE'), coalesce(sum(permits), 0)
      into v_holders, v_exclusive, v_permits
      from lease where kind = p_kind and name = p_name;
    if not exists (select 1 from waiter where kind = p_kind and name = p_name)
            and lease_admits(p_mode, p_permits, p_limit, v_holders, v_exclusive, v_permits) then
        l := lease_grant(p_kind, p_name, p_id, p_owner, p_mode, p_permits, p_ttl_ms, p_scope, p_request_id,
                         p_fingerprint, p_value);
        return next lease_row('GRANTED', l);
    elsif p_wait_ms <= 0 then
        return next row('REFUSED', null, null, null, null, null, null, null, null, null, null, null,
                        null)::lease_outcome;
        return query select (lease_row('HOLDER', h)).* from lease h where h.kind = p_kind and h.name = p_name
                      order by h.token;
    else
        insert into resource (kind, name) values (p_kind, p_name) on conflict do nothing;
        insert into waiter (waiter_id, kind, name, owner, mode, permits, scope, request_id, fingerprint, value,
                            ttl_ms, deadline, replica_id)
        values (p_id, p_kind, p_name, p_owner, p_mode, p_permits, p_scope, p_request_id, p_fingerprint, p_value,
                p_ttl_ms, clock_timestamp() + p_wait_ms * interval '1 ms', p_replica);
        return next row('QUEUED', p_id, p_owner, p_mode, p_permits, null, null, p_ttl_ms, null, null, null,
                        null, null)::lease_outcome;
        v_changed := true;
    end if;
    return next lease_finish(p_kind, p_name, v_changed, v_settled);
end;
$$;

-- Release, as in V3. When nobody waits for the resource, there is nobody to grant or to tell.
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
        return next lease_expired_row('SETTLED', v_expired);
    end if;
end;
$$;
