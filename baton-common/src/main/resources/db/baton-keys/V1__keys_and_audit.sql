-- The API keys created through /api/v1/keys and the audit log of every change made with a key,
-- shared by every service (docs/adr/0017). Each service applies these migrations; Flyway's lock
-- serializes replicas that start at once.

create table api_keys (
    id uuid primary key,
    name text not null unique,
    sha256 char(64) not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
    roles text[] not null check (cardinality(roles) > 0 and roles <@ array['READ', 'WRITE', 'ADMIN']),
    -- {kind: [prefix, ...]}; null: every name of every kind.
    scopes jsonb check (scopes is null or jsonb_typeof(scopes) = 'object'),
    expires_at timestamptz,
    created_at timestamptz not null default now(),
    last_used_at timestamptz
);

-- One row: the index of the keys, raised by every change a service must hear of.
create table key_changes (
    single boolean primary key default true check (single),
    index bigint not null
);
insert into key_changes (single, index) values (true, 1);

-- A change of a key (not of its last use) raises the index and wakes every service, on commit.
create function announce_key_change() returns trigger language plpgsql as $$
begin
    update baton_keys.key_changes set index = index + 1;
    perform pg_notify('baton_keys', (select index::text from baton_keys.key_changes));
    return null;
end
$$;

create trigger api_keys_changed
    after insert or delete or update of name, sha256, roles, scopes, expires_at on api_keys
    for each statement execute function announce_key_change();

create table audit (
    id bigint generated always as identity primary key,
    at timestamptz not null,
    key_name text not null,
    method text not null,
    kind text,
    name text,
    status int not null,
    remote_address text
);
create index audit_at on audit (at);
create index audit_key_name on audit (key_name, id);
create index audit_kind_name on audit (kind, name, id);
