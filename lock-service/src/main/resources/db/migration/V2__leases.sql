-- A lockable resource: a lock, a semaphore or an election, named within its kind.
-- Rows are never deleted: last_token must keep increasing for the life of the name.
create table resource (
    kind         varchar(16)  not null,
    name         varchar(200) not null,
    last_token   bigint       not null default 0,
    permit_limit integer,
    version      bigint       not null default 0,
    -- Until when a blocking query may be watching; changes are announced only to someone who listens.
    watched_until timestamptz,
    primary key (kind, name)
);

-- A granted lease. It is valid while expires_at (database clock) lies in the future.
create table lease (
    lease_id    uuid         primary key,
    kind        varchar(16)  not null,
    name        varchar(200) not null,
    owner       varchar(200) not null,
    mode        varchar(16)  not null,
    permits     integer      not null,
    token       bigint       not null,
    request_id  varchar(200),
    value       text,
    ttl_ms      bigint       not null,
    granted_at  timestamptz  not null,
    expires_at  timestamptz  not null,
    foreign key (kind, name) references resource (kind, name)
);
create index lease_by_resource on lease (kind, name);
create index lease_by_expiry on lease (expires_at);
create unique index lease_by_request on lease (kind, name, request_id) where request_id is not null;

-- A request waiting for a lease, granted in seq order. When granted, its lease takes its id.
create table waiter (
    waiter_id   uuid         primary key,
    seq         bigserial    not null,
    kind        varchar(16)  not null,
    name        varchar(200) not null,
    owner       varchar(200) not null,
    mode        varchar(16)  not null,
    permits     integer      not null,
    request_id  varchar(200),
    value       text,
    ttl_ms      bigint       not null,
    deadline    timestamptz  not null,
    foreign key (kind, name) references resource (kind, name)
);
create index waiter_queue on waiter (kind, name, seq);
create unique index waiter_by_request on waiter (kind, name, request_id) where request_id is not null;
