-- The lines workers log for the attempts of an execution (POST /executions/{id}/log). seq numbers an
-- execution's lines from 1 in the order they are written: a batch takes its numbers under a
-- transaction advisory lock on the execution, so one batch commits before the next takes numbers,
-- and a reader who has seen seq n has seen every line before it. kind is LINE, or TRUNCATED for the
-- line that marks where an attempt's log reached baton.scheduler.logs.max-attempt-size.
--
-- Neither table references execution: an execution's insert, claim, update and deletion cost
-- nothing here. Lines outlive a deleted execution, unread, until their retention.
create table execution_log (
    execution_id bigint      not null,
    seq          bigint      not null,
    attempt      int         not null,
    shard_index  int         not null,
    kind         text        not null
        constraint execution_log_kind_check check (kind in ('LINE', 'TRUNCATED')),
    logged_at    timestamptz not null,
    text         text        not null,
    primary key (execution_id, seq)
);

-- Each attempt's log: the lines and bytes it keeps, against the cap; whether it reached the cap;
-- when it was last written to, which its retention counts from.
create table execution_log_attempt (
    execution_id bigint      not null,
    attempt      int         not null,
    lines        int         not null,
    bytes        bigint      not null,
    truncated    boolean     not null,
    written_at   timestamptz not null,
    primary key (execution_id, attempt)
);
create index execution_log_attempt_written on execution_log_attempt (written_at);
