-- The catalog's index moves on every change to any service; its one row serializes those changes,
-- so indexes grow in commit order and a blocking query never misses one.
create table catalog (
    id           boolean primary key default true check (id),
    modify_index bigint  not null
);

insert into catalog (modify_index) values (0);

-- A service exists while it has instances; its index is the catalog's at its last change.
create table service (
    name         text   primary key,
    modify_index bigint not null
);

-- An instance is healthy while expires_at is ahead of the database clock.
create table instance (
    service       text        not null references service (name),
    instance_id   text        not null,
    host          text        not null,
    port          integer     not null,
    secure        boolean     not null,
    zone          text,
    weight        integer     not null,
    metadata      jsonb       not null,
    ttl_ms        integer     not null,
    registered_at timestamptz not null,
    expires_at    timestamptz not null,
    primary key (service, instance_id)
);

create index instance_expires_at on instance (expires_at);

-- Config changes take their index from this sequence while holding their namespace's row, so
-- within a namespace indexes grow in commit order.
create sequence config_index;

-- A namespace's index moves on every change to its keys; its row also serializes their writes.
create table config_namespace (
    name         text   primary key,
    modify_index bigint not null
);

create table config_entry (
    namespace    text        not null references config_namespace (name),
    key          text        not null,
    value        text        not null,
    content_type text        not null,
    version      bigint      not null,
    modify_index bigint      not null,
    updated_at   timestamptz not null,
    primary key (namespace, key)
);

-- Every version of every key, deletions included (value null).
create table config_history (
    namespace    text        not null,
    key          text        not null,
    version      bigint      not null,
    value        text,
    content_type text,
    changed_at   timestamptz not null,
    primary key (namespace, key, version)
);
