-- A grant bumps the resource's version in the same statement that draws its token, instead of a
-- second UPDATE of the same row at the end of the call: one write of the row fewer for every
-- acquire granted at once and for every call that grants waiters. The version still rises with
-- every change; lease_finish bumps it for the call's own change and for expiries.

-- Draws the next token, bumps the version, and inserts the lease.
create or replace function lease_grant(p_kind text, p_name text, p_id uuid, p_owner text, p_mode text, p_permits integer,
        p_ttl_ms bigint, p_scope text, p_request_id text, p_fingerprint text, p_value text)
        returns lease language plpgsql as $$
declare
    v_token bigint;
    l lease;
begin
    insert into resource (kind, name, last_token, version) values (p_kind, p_name, 1, 1)
    on conflict (kind, name) do update set last_token = resource.last_token + 1, version = resource.version + 1
    returning last_token into v_token;
    insert into lease (lease_id, kind, name, owner, mode, permits, token, scope, request_id, fingerprint, value,
                       ttl_ms, granted_at, expires_at)
    values (p_id, p_kind, p_name, p_owner, p_mode, p_permits, v_token, p_scope, p_request_id,
           p_fingerprint, p_value, p_ttl_ms, clock_timestamp(), clock_timestamp() + p_ttl_ms * interval '1 ms')
    returning * into l;
    return l;
end;
$$;

-- Acquire, as in V3; a grant made here has bumped the version already.
create or replace function lease_acquire(p_kind text, p_name text, p_id uuid, p_owner text, p_mode text,
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

-- The last row of every call, as in V4; grants have bumped the version already.
create or replace function lease_finish(p_kind text, p_name text, p_changed boolean, p_settled lease_outcome[])
        returns lease_outcome language plpgsql as $$
declare
    v_expired integer := 0;
    v_woken lease_outcome[] := '{}';
    v_waiting boolean;
    v_next bigint := -1;
    v_grants text;
begin
    if cardinality(p_settled) > 0 then
        v_expired := coalesce((select sum(s.expired) from unnest(p_settled) s where s.what = 'EXPIRED'), 0);
        v_woken := array(select s from unnest(p_settled) s where s.what = 'WOKEN');
    end if;
    v_waiting := exists (select 1 from waiter where kind = p_kind and name = p_name);
    if v_waiting then
        select coalesce(ceil(extract(epoch from least(
                   (select min(expires_at) from lease where kind = p_kind and name = p_name),
                   (select min(deadline) from waiter where kind = p_kind and name = p_name))
               - clock_timestamp()) * 1000), -1)::bigint
          into v_next;
        v_next := greatest(v_next, 0);
    end if;
    if p_changed or v_expired > 0 then
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
