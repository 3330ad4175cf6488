-- The audit log in one partition per UTC day, so that retention drops a day whole instead of
-- deleting its rows one by one (docs/security.md has the volume). A row whose day has no partition
-- yet lands in audit_default, so no write ever fails for want of one; audit_partitions() moves
-- such rows into their day's partition when it makes it.

alter table audit rename to audit_v1;
alter index audit_at rename to audit_v1_at;
alter index audit_key_name rename to audit_v1_key_name;
alter index audit_kind_name rename to audit_v1_kind_name;

create sequence audit_id;
select setval('audit_id', coalesce((select max(id) from audit_v1), 0) + 1, false);

create table audit (
    id bigint not null default nextval('audit_id'),
    at timestamptz not null,
    key_name text not null,
    method text not null,
    kind text,
    name text,
    status int not null,
    remote_address text
) partition by range (at);
alter sequence audit_id owned by audit.id;
create index audit_by_id on audit (id);
create index audit_at on audit (at);
create index audit_key_name on audit (key_name, id);
create index audit_kind_name on audit (kind, name, id);
create table audit_default partition of audit default;

-- Makes the partitions of the days from today to `ahead` days on, and of every day that has rows
-- in audit_default (moving them in); then, unless `keep` is null, drops each partition whose
-- whole day is older than `keep` and deletes what audit_default holds older than that. Returns
-- how many partitions it dropped. Run by one registry replica at a time (AuditRetention).
create function audit_partitions(keep interval, ahead int) returns int language plpgsql as $$
declare
    today date := (now() at time zone 'UTC')::date;
    day date;
    partition text;
    from_at timestamptz;
    to_at timestamptz;
    dropped int := 0;
begin
    for day in
        select d::date from generate_series(today, today + ahead, interval '1 day') as d
        union
        select distinct (at at time zone 'UTC')::date from baton_keys.audit_default
    loop
        partition := 'audit_' || to_char(day, 'YYYYMMDD');
        continue when to_regclass('baton_keys.' || partition) is not null;
        from_at := day::timestamp at time zone 'UTC';
        to_at := (day + 1)::timestamp at time zone 'UTC';
        -- Holds off rows for days without a partition, which audit_default would take meanwhile.
        lock table baton_keys.audit_default in share row exclusive mode;
        execute format('create table baton_keys.%I (like baton_keys.audit including defaults)', partition);
        execute format('insert into baton_keys.%I select * from baton_keys.audit_default where at >= $1 and at < $2',
                       partition) using from_at, to_at;
        delete from baton_keys.audit_default where at >= from_at and at < to_at;
        execute format('alter table baton_keys.audit attach partition baton_keys.%I for values from (%L) to (%L)',
                       partition, from_at, to_at);
    end loop;
    if keep is null then
        return 0;
    end if;
    for partition in
        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
         where i.inhparent = 'baton_keys.audit'::regclass and c.relname ~ '^audit_[0-9]{8}$'
           and (to_date(substr(c.relname, 7), 'YYYYMMDD') + 1)::timestamp at time zone 'UTC' <= now() - keep
    loop
        execute format('drop table baton_keys.%I', partition);
        dropped := dropped + 1;
    end loop;
    delete from baton_keys.audit_default where at < now() - keep;
    return dropped;
end
$$;

-- The partitions of the days the log already holds, and of the week ahead; then the rows move in.
insert into audit_default select * from audit_v1;
select audit_partitions(null, 7);
drop table audit_v1;
