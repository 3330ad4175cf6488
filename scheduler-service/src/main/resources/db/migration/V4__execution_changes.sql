-- Every transition of an execution row, whichever statement makes it, takes the next number of
-- one sequence into the row's change column. A job's executions are at the index max(change) of
-- its rows, which a blocking query waits to pass; the suite's executions are at the sequence's
-- last value. Each statement announces the jobs whose executions it changed on
-- baton_scheduler_executions, once per job, when its transaction commits. A deletion (history
-- past its retention, a paused job's pending trigger) moves no index.
create sequence execution_change;

alter table execution add column change bigint;
update execution set change = nextval('execution_change');
alter table execution
    alter column change set default nextval('execution_change'),
    alter column change set not null;

create index execution_job_change on execution (job_id, change);

create function execution_next_change() returns trigger language plpgsql as $$
begin
    new.change := nextval('execution_change');
    return new;
end
$$;

create trigger execution_changes_number
    before update on execution
    for each row execute function execution_next_change();

create function announce_execution_changes() returns trigger language plpgsql as $$
begin
    perform pg_notify('baton_scheduler_executions', job_id::text) from (select distinct job_id from changed) as jobs;
    return null;
end
$$;

create trigger execution_inserts_announced
    after insert on execution referencing new table as changed
    for each statement execute function announce_execution_changes();

create trigger execution_updates_announced
    after update on execution referencing new table as changed
    for each statement execute function announce_execution_changes();
