-- A job's final failures since its last success: the run that a CONSECUTIVE_FAILURES alert counts
-- and a RECOVERED alert ends. Its row is locked while a transaction writes the job's alerts, so
-- that the rate limit is counted by one at a time.
create table alert_state (
    job_id               uuid primary key references job (id) on delete cascade,
    consecutive_failures int  not null default 0
);

-- One row per alert and channel, written in the transaction of the verdict or skip that causes it.
-- A PENDING row is delivered by the replica that claims it (FOR UPDATE SKIP LOCKED); due_at is when
-- it is next tried, or when a replica's claim on it ends. execution_id outlives its execution, which
-- the history retention may delete first.
create table alert (
    id           bigint      generated always as identity primary key,
    job_id       uuid        not null references job (id) on delete cascade,
    execution_id bigint      not null,
    event        text        not null
        constraint alert_event_check
        check (event in ('FAILED', 'TIMED_OUT', 'MISFIRED', 'CONSECUTIVE_FAILURES', 'RECOVERED')),
    channel      jsonb       not null,
    payload      jsonb       not null,
    status       text        not null
        constraint alert_status_check check (status in ('PENDING', 'SENT', 'FAILED', 'SUPPRESSED')),
    attempts     int         not null default 0,
    due_at       timestamptz not null,
    created_at   timestamptz not null,
    sent_at      timestamptz,
    last_error   text
);
create index alert_due on alert (due_at) where status = 'PENDING';
create index alert_of_job on alert (job_id, id);
create index alert_counted on alert (job_id, created_at) where status <> 'SUPPRESSED';
