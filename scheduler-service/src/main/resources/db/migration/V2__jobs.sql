-- A job as the API defines it. The columns beside the definition are the parts that SQL reads.
create table job (
    id          uuid        primary key,
    name        text        not null unique,
    definition  jsonb       not null,
    enabled     boolean     not null,
    timeout_ms  bigint      not null,
    exclusive   boolean     not null,
    version     bigint      not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

-- One row per trigger of a job: the unique key makes a trigger fire once however many replicas
-- run. PENDING rows wait for due_at; a replica claims one by setting it RUNNING with its own id
-- in replica; a worker that answered 202 owns it (replica null) until deadline_at.
create table execution (
    id           bigint      generated always as identity primary key,
    job_id       uuid        not null references job (id) on delete cascade,
    scheduled_at timestamptz not null,
    trigger      text        not null,
    status       text        not null,
    due_at       timestamptz not null,
    attempt      int         not null default 0,
    failures     int         not null default 0,
    replica      text,
    deadline_at  timestamptz,
    started_at   timestamptz,
    finished_at  timestamptz,
    result       text,
    error        text,
    unique (job_id, scheduled_at)
);
create index execution_due on execution (due_at) where status = 'PENDING';
create index execution_running on execution (deadline_at) where status = 'RUNNING';
create index execution_finished on execution (finished_at) where finished_at is not null;

-- Each attempt's call to one worker instance: a single row for most routings, one per shard
-- for BROADCAST and SHARDED. A worker that reports before its replica recorded the call leaves
-- shard_total, instance_id and dispatched_at for the replica to fill in.
create table execution_attempt (
    execution_id bigint      not null references execution (id) on delete cascade,
    attempt      int         not null,
    shard_index  int         not null,
    shard_total  int,
    instance_id  text,
    status       text        not null,
    dispatched_at timestamptz,
    finished_at  timestamptz,
    result       text,
    error        text,
    primary key (execution_id, attempt, shard_index)
);

-- Live scheduler replicas: the work of one whose heartbeat stops is recovered by another.
create table replica (
    id           text        primary key,
    heartbeat_at timestamptz not null
);
