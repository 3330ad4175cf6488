-- The lease engine. Every change to a resource is one call of one of the functions below, so it
-- reaches PostgreSQL in one round trip and commits as one transaction. Each function first takes
-- the resource's transaction-scoped advisory lock, then settles the resource (expired leases and
-- dead waiters go, waiters that fit are granted in queue order), makes its own change, bumps the
-- resource's version when anything changed, and announces grants on channel baton_leases. What
-- changed comes back as rows of lease_outcome. Expiry is always judged on clock_timestamp().

-- A lock-service replica. Its waiters live only while it does: while its heartbeat is fresh and,
-- when it registered one, the backend of its LISTEN connection is still the same session.
create table replica (
    replica_id       uuid        primary key,
    listener_pid     integer,
    listener_started timestamptz,
    expires_at       timestamptz not null
);

-- A blocking query no longer writes: changes are announced only when waiters need them.
alter table resource drop column watched_until;

-- requestId belongs to its caller: the API key's name. The fingerprint records what was asked.
alter table lease add column scope varchar(200);
alter table lease add column fingerprint text;
alter table waiter add column scope varchar(200);
alter table waiter add column fingerprint text;
alter table waiter add column replica_id uuid;
drop index lease_by_request;
drop index waiter_by_request;
create unique index lease_by_request on lease (kind, name, scope, request_id) where request_id is not null;
create unique index waiter_by_request on waiter (kind, name, scope, request_id) where request_id is not null;
create index waiter_by_replica on waiter (replica_id);

-- One row of what a call did.
--   what: GRANTED (the caller's lease, or one granted earlier to its requestId), QUEUED (the
--         caller's waiter, lease_id being the waiter's id), REFUSED, HOLDER (a current holder,
--         after REFUSED), LIMIT (a semaphore's other limit, in permits), CONFLICT (a requestId
--         first used with other parameters, its fingerprint in value), RENEWED, RELEASED, LOST
--         (the lease named is no longer valid), WITHDRAWN, WOKEN (a waiter granted by this call,
--         replica_id being the replica its request waits on), and last of all SETTLED, with
--         expired (leases that expired) and next_event_ms (until the next lease expiry or waiter
--         deadline while waiters remain, else -1). EXPIRED rows, with expired, come from settling.
create type lease_outcome as (
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

create function lease_lock(p_kind text, p_name text) returns void language sql as $$
    select pg_advisory_xact_lock(hashtextextended(p_kind || ':' || p_name, 0));
$$;

create function lease_replica_alive(p_replica uuid) returns boolean language sql as $$
    select p_replica is null or exists (
        select 1 from replica r
         where r.replica_id = p_replica and r.expires_at > clock_timestamp()
           and (r.listener_pid is null
                or exists (select 1 from pg_stat_get_activity(r.listener_pid) a
                            where a.backend_start = r.listener_started)));
$$;

create function lease_row(p_what text, l lease) returns lease_outcome language sql immutable as $$
    select row(p_what, l.lease_id, l.owner, l.mode, l.permits, l.token, l.value, l.ttl_ms, l.granted_at,
               l.expires_at, null, null, null)::lease_outcome;
$$;

create function lease_admits(p_mode text, p_permits integer, p_limit integer, p_holders bigint,
        p_exclusive bigint, p_held_permits bigint) returns boolean language sql immutable as $$
    select case p_mode
               when 'EXCLUSIVE' then p_holders = 0
               when 'SHARED' then p_exclusive = 0
               else p_held_permits + p_permits <= p_limit
           end;
$$;

-- Draws the next token and inserts the lease.
create function lease_grant(p_kind text, p_name text, p_id uuid, p_owner text, p_mode text, p_permits integer,
        p_ttl_ms bigint, p_scope text, p_request_id text, p_fingerprint text, p_value text)
        returns lease language sql as $$
    with token as (
        insert into resource (kind, name, last_token) values (p_kind, p_name, 1)
        on conflict (kind, name) do update set last_token = resource.last_token + 1
        returning last_token)
    insert into lease (lease_id, kind, name, owner, mode, permits, token, scope, request_id, fingerprint, value,
                       ttl_ms, granted_at, expires_at)
    select p_id, p_kind, p_name, p_owner, p_mode, p_permits, token.last_token, p_scope, p_request_id,
           p_fingerprint, p_value, p_ttl_ms, clock_timestamp(), clock_timestamp() + p_ttl_ms * interval '1 ms'
      from token
    returning *;
$$;

-- Removes the resource's expired leases and its waiters that are out of time or whose replica is
-- dead, then grants waiters in queue order until one does not fit. Answers an EXPIRED row with
-- the count of expired leases, if any, and a WOKEN row for each waiter granted.
create function lease_settle(p_kind text, p_name text) returns setof lease_outcome language plpgsql as $$
declare
    v_holders bigint;
    v_exclusive bigint;
    v_permits bigint;
    v_limit integer;
    v_expired integer;
    w waiter;
    l lease;
    o lease_outcome;
begin
    delete from lease where kind = p_kind and name = p_name and expires_at <= clock_timestamp();
    get diagnostics v_expired = row_count;
    if v_expired > 0 then
        return next row('EXPIRED', null, null, null, null, null, null, null, null, null, null, v_expired,
                        null)::lease_outcome;
    end if;
    delete from waiter where kind = p_kind and name = p_name
       and (deadline <= clock_timestamp() or not lease_replica_alive(replica_id));
    if not exists (select 1 from waiter where kind = p_kind and name = p_name) then
        return;
    end if;
    select count(*), count(*) filter (where mode = 'EXCLUSIVE'), coalesce(sum(permits), 0)
      into v_holders, v_exclusive, v_permits
      from lease where kind = p_kind and name = p_name;
    select permit_limit into v_limit from resource where kind = p_kind and name = p_name;
    for w in select * from waiter where kind = p_kind and name = p_name order by seq loop
        exit when not lease_admits(w.mode, w.permits, v_limit, v_holders, v_exclusive, v_permits);
        delete from waiter where waiter_id = w.waiter_id;
        l := lease_grant(p_kind, p_name, w.waiter_id, w.owner, w.mode, w.permits, w.ttl_ms, w.scope,
                         w.request_id, w.fingerprint, w.value);
        v_holders := v_holders + 1;
        v_exclusive := v_exclusive + case when w.mode = 'EXCLUSIVE' then 1 else 0 end;
        v_permits := v_permits + w.permits;
        o := lease_row('WOKEN', l);
        o.replica_id := w.replica_id;
        return next o;
    end loop;
end;
$$;

-- The last row of every call. When anything changed, bumps the version; when waiters were granted
-- or still wait, announces it as KIND|name|nextEventMs|grants, grants being
-- id/token/grantedAt/expiresAt (times in epoch microseconds) joined by commas, or * when
-- there are too many to list (a payload must stay under 8000 bytes). A change nobody
-- waits for is not announced: every NOTIFY serializes commits in PostgreSQL.
create function lease_finish(p_kind text, p_name text, p_changed boolean, p_settled lease_outcome[])
        returns lease_outcome language plpgsql as $$
declare
    v_expired integer := coalesce((select sum(s.expired) from unnest(p_settled) s where s.what = 'EXPIRED'), 0);
    v_woken lease_outcome[] := array(select s from unnest(p_settled) s where s.what = 'WOKEN');
    v_waiting boolean;
    v_next bigint := -1;
    v_grants text;
begin
    v_waiting := exists (select 1 from waiter where kind = p_kind and name = p_name);
    if v_waiting then
        select coalesce(ceil(extract(epoch from least(
                   (select min(expires_at) from lease where kind = p_kind and name = p_name),
                   (select min(deadline) from waiter where kind = p_kind and name = p_name))
               - clock_timestamp()) * 1000), -1)::bigint
          into v_next;
        v_next := greatest(v_next, 0);
    end if;
    if p_changed or v_expired > 0 or cardinality(v_woken) > 0 then
        update resource set version = version + 1 where kind = p_kind and name = p_name;
    end if;
    if v_waiting or cardinality(v_woken) > 0 then
        if cardinality(v_woken) > 60 then
            v_grants := '*';
        else
            select coalesce(string_agg(w.lease_id || '/' || w.token || '/'
                       || (extract(epoch from w.granted_at) * 1000000)::bigint || '/'
                       || (extract(epoch from w.expires_at) * 1000000)::bigint, ','), '')
              into v_grants from unnest(v_woken) w;
        end if;
        perform pg_notify('baton_leases', p_kind || '|' || p_name || '|' || v_next || '|' || v_grants);
    end if;
    return row('SETTLED', null, null, null, null, null, null, null, null, null, null, v_expired,
               v_next)::lease_outcome;
end;
$$;

-- Acquire: grants now, queues the request (when it may wait and does not fit, or others wait
-- first), or refuses it, naming the holders. A requestId seen before answers with its lease or
-- its waiter, or CONFLICT when it came with other parameters.
create function lease_acquire(p_kind text, p_name text, p_id uuid, p_owner text, p_mode text,
        p_permits integer, p_limit integer, p_ttl_ms bigint, p_wait_ms bigint, p_scope text,
        p_request_id text, p_fingerprint text, p_value text, p_replica uuid)
        returns setof lease_outcome language plpgsql as $$
declare
    v_settled lease_outcome[];
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
    v_settled := array(select lease_settle(p_kind, p_name));
    return query select * from unnest(v_settled);
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
        v_changed := true;
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

-- Renew: extends a valid lease by p_ttl_ms, or its own TTL when null.
create function lease_renew(p_kind text, p_name text, p_lease uuid, p_ttl_ms bigint)
        returns setof lease_outcome language plpgsql as $$
declare
    l lease;
begin
    perform lease_lock(p_kind, p_name);
    update lease
       set expires_at = clock_timestamp() + coalesce(p_ttl_ms, ttl_ms) * interval '1 ms',
           ttl_ms = coalesce(p_ttl_ms, ttl_ms)
     where lease_id = p_lease and kind = p_kind and name = p_name and expires_at > clock_timestamp()
    returning * into l;
    if found then
        return next lease_row('RENEWED', l);
    else
        return next row('LOST', p_lease, null, null, null, null, null, null, null, null, null, null,
                        null)::lease_outcome;
    end if;
end;
$$;

-- Release: ends a valid lease (else LOST) and grants whoever can now go, a late release included.
create function lease_release(p_kind text, p_name text, p_lease uuid)
        returns setof lease_outcome language plpgsql as $$
declare
    v_released boolean;
    v_settled lease_outcome[];
begin
    perform lease_lock(p_kind, p_name);
    delete from lease where lease_id = p_lease and kind = p_kind and name = p_name
       and expires_at > clock_timestamp();
    v_released := found;
    v_settled := array(select lease_settle(p_kind, p_name));
    return query select * from unnest(v_settled);
    return next row(case when v_released then 'RELEASED' else 'LOST' end, p_lease, null, null, null, null, null,
                    null, null, null, null, null, null)::lease_outcome;
    return next lease_finish(p_kind, p_name, v_released, v_settled);
end;
$$;

-- Withdraw: removes a waiter whose request stopped waiting. When it was granted meanwhile, answers
-- GRANTED with the lease, or, with p_drop_grant (nobody is there to receive it), releases it.
create function lease_withdraw(p_kind text, p_name text, p_waiter uuid, p_drop_grant boolean)
        returns setof lease_outcome language plpgsql as $$
declare
    v_changed boolean;
    v_settled lease_outcome[];
    l lease;
begin
    perform lease_lock(p_kind, p_name);
    delete from waiter where waiter_id = p_waiter;
    v_changed := found;
    if not v_changed then
        if p_drop_grant then
            delete from lease where lease_id = p_waiter and kind = p_kind and name = p_name
            returning * into l;
            v_changed := found;
        else
            select * into l from lease where lease_id = p_waiter and kind = p_kind and name = p_name
               and expires_at > clock_timestamp();
        end if;
    end if;
    v_settled := array(select lease_settle(p_kind, p_name));
    return query select * from unnest(v_settled);
    if l.lease_id is not null and not p_drop_grant then
        return next lease_row('GRANTED', l);
    else
        return next row('WITHDRAWN', p_waiter, null, null, null, null, null, null, null, null, null, null,
                        null)::lease_outcome;
    end if;
    return next lease_finish(p_kind, p_name, v_changed, v_settled);
end;
$$;

-- Force-release: revokes every lease on the resource and grants its waiters.
create function lease_force_release(p_kind text, p_name text) returns setof lease_outcome language plpgsql as $$
declare
    v_revoked boolean;
    v_settled lease_outcome[];
begin
    perform lease_lock(p_kind, p_name);
    delete from lease where kind = p_kind and name = p_name;
    v_revoked := found;
    v_settled := array(select lease_settle(p_kind, p_name));
    return query select * from unnest(v_settled);
    return next lease_finish(p_kind, p_name, v_revoked, v_settled);
end;
$$;

-- Reconcile: settles the resource, as a timer or the sweeper does when a lease or a wait ran out.
create function lease_reconcile(p_kind text, p_name text) returns setof lease_outcome language plpgsql as $$
declare
    v_settled lease_outcome[];
begin
    perform lease_lock(p_kind, p_name);
    v_settled := array(select lease_settle(p_kind, p_name));
    return query select * from unnest(v_settled);
    return next lease_finish(p_kind, p_name, false, v_settled);
end;
$$;
