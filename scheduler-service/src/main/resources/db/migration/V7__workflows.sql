-- A workflow as the API defines it: a DAG of nodes, each running a job, joined by edges that carry a
-- condition. The columns beside the definition are the parts that SQL reads.
create table workflow (
    id          uuid        primary key,
    name        text        not null unique,
    definition  jsonb       not null,
    enabled     boolean     not null,
    exclusive   boolean     not null,
    version     bigint      not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

-- The jobs a workflow's nodes run: a job that a workflow names cannot be deleted.
create table workflow_job (
    workflow_id uuid not null references workflow (id) on delete cascade,
    job_id      uuid not null references job (id),
    primary key (workflow_id, job_id)
);
create index workflow_job_of_job on workflow_job (job_id);

-- One row per trigger of a workflow, unique per workflow and scheduled time as an execution is per
-- job. A PENDING run waits for due_at; a replica starts it (FOR UPDATE SKIP LOCKED), taking the
-- definition it runs with into definition. Every change of a row takes the next number of
-- workflow_run_change into change, the index of the run's blocking query, and its statement
-- announces the run on baton_scheduler_workflows.
create sequence workflow_run_change;

create table workflow_run (
    id               bigint      generated always as identity primary key,
    workflow_id      uuid        not null references workflow (id) on delete cascade,
    scheduled_at     timestamptz not null,
    trigger          text        not null
        constraint workflow_run_trigger_check check (trigger in ('SCHEDULE', 'MANUAL')),
    status           text        not null
        constraint workflow_run_status_check
        check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED')),
    due_at           timestamptz not null,
    definition       jsonb,
    workflow_version bigint,
    started_at       timestamptz,
    finished_at      timestamptz,
    error            text,
    change           bigint      not null default nextval('workflow_run_change'),
    unique (workflow_id, scheduled_at)
);
create index workflow_run_due on workflow_run (due_at) where status = 'PENDING';
create index workflow_run_of_workflow on workflow_run (workflow_id, id);
create index workflow_run_finished on workflow_run (finished_at) where finished_at is not null;

create function workflow_run_next_change() returns trigger language plpgsql as $$
begin
    new.change := nextval('workflow_run_change');
    return new;
end
$$;

create trigger workflow_run_changes_number
    before update on workflow_run
    for each row execute function workflow_run_next_change();

create function announce_workflow_run_changes() returns trigger language plpgsql as $$
begin
    perform pg_notify('baton_scheduler_workflows', 'run:' || id) from changed;
    return null;
end
$$;

create trigger workflow_run_inserts_announced
    after insert on workflow_run referencing new table as changed
    for each statement execute function announce_workflow_run_changes();

create trigger workflow_run_updates_announced
    after update on workflow_run referencing new table as changed
    for each statement execute function announce_workflow_run_changes();

-- Each node of a started run. A node is PENDING until its edges are satisfied, RUNNING once its
-- execution is added (execution_id, in the same statement), then final. result is its execution's
-- result, which its downstream nodes take as input; error says why a node failed without one. A
-- RUNNING node whose execution was deleted with its job is failed by the housekeeping.
create table workflow_run_node (
    run_id       bigint not null references workflow_run (id) on delete cascade,
    node_id      text   not null,
    job_id       uuid   not null,
    status       text   not null
        constraint workflow_run_node_status_check
        check (status in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED')),
    execution_id bigint references execution (id) on delete set null,
    result       jsonb,
    error        text,
    primary key (run_id, node_id)
);
create index workflow_run_node_execution on workflow_run_node (execution_id) where execution_id is not null;
create index workflow_run_node_orphaned on workflow_run_node (run_id) where status = 'RUNNING' and execution_id is null;

-- A node's execution names its run and node, and holds its upstream nodes' results: the unique
-- index lets a node of a run have one execution, whatever replica adds it.
alter table execution
    add column workflow_run  bigint references workflow_run (id) on delete set null,
    add column workflow_node text,
    add column upstream      jsonb,
    drop constraint execution_trigger_check,
    add constraint execution_trigger_check check (trigger in ('SCHEDULE', 'MANUAL', 'WORKFLOW'));
create unique index execution_workflow_node on execution (workflow_run, workflow_node) where workflow_run is not null;
