-- The lease engine's functions, cheaper per call and with the same algorithm as V3:
-- * Helpers that run statements are PL/pgSQL, whose plans each session caches, instead of SQL
--   functions, whose bodies are planned again in every transaction that calls them.
-- * Settling looks for waiters before it deletes dead ones, and the last row of a call reads the
--   settled rows only when there are any: a name nobody waits for costs no more statements.

create or replace function lease_lock(p_kind text, p_name text) returns void language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtextextended(p_kind || ':' || p_name, 0));
end;
$$;

create or replace function lease_replica_alive(p_replica uuid) returns boolean language plpgsql as $$
begin
    return p_replica is null or exists (
        select 1 from replica r
         where r.replica_id = p_replica and r.expires_at > clock_timestamp()
           and (r.listener_pid is null
                or exists (select 1 from pg_stat_get_activity(r.listener_pid) a
                            where a.backend_start = r.listener_started)));
end;
$$;

-- Draws the next token and inserts the lease.
create or replace function lease_grant(p_kind text, p_name text, p_id uuid, p_owner text, p_mode text, p_permits integer,
        p_ttl_ms bigint, p_scope text, p_request_id text, p_fingerprint text, p_value text)
        returns lease language plpgsql as $$
declare
    v_token bigint;
    l lease;
begin
    insert into resource (kind, name, last_token) values (p_kind, p_name, 1)
    on conflict (kind, name) do update set last_token = resource.last_token + 1
    returning last_token into v_token;
    insert into lease (lease_id, kind, name, owner, mode, permits, token, scope, request_id, fingerprint, value,
                       ttl_ms, granted_at, expires_at)
    values (p_id, p_kind, p_name, p_owner, p_mode, p_permits, v_token, p_scope, p_request_id,
           p_fingerprint, p_value, p_ttl_ms, clock_timestamp(), clock_timestamp() + p_ttl_ms * interval '1 ms')
    returning * into l;
    return l;
end;
$$;

-- Settles the resource as in V3, looking for waiters before deleting dead ones.
create or replace function lease_settle(p_kind text, p_name text) returns setof lease_outcome language plpgsql as $$
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
    if not exists (select 1 from waiter where kind = p_kind and name = p_name) then
        return;
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

-- The last row of every call, as in V3; the settled rows are read only when there are any.
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
