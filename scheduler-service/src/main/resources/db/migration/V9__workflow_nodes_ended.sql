-- Records how the executions of running nodes ended, and returns the runs they move on, in one round
-- trip. It locks the rows of those runs still RUNNING, in id order, so that the nodes of one run
-- ending on several replicas at once are decided one transaction after another. Its next statement
-- takes a snapshot of its own, after the locks, and so sees what the transactions it waited for
-- committed: it records each end while its node still runs that execution (a node ends once). It
-- returns each locked run with the definition it started with and every node's status by node id,
-- these ends included.
create function workflow_nodes_ended(run_ids bigint[], node_ids text[], execution_ids bigint[], statuses text[],
                                     results jsonb[])
    returns table (id bigint, workflow_id uuid, trigger text, workflow_version bigint, definition text, nodes jsonb)
    language plpgsql as $$
#variable_conflict use_column
declare
    locked bigint[];
begin
    select coalesce(array_agg(r.id order by r.id), '{}') into locked
      from (select w.id from workflow_run w
             where w.id = any(run_ids) and w.status = 'RUNNING'
             order by w.id
               for update) as r;
    update workflow_run_node n set status = e.status, result = e.result
      from unnest(run_ids, node_ids, execution_ids, statuses, results) as e(run_id, node_id, execution_id, status, result)
     where n.run_id = e.run_id and n.node_id = e.node_id and n.execution_id = e.execution_id
       and n.status = 'RUNNING' and n.run_id = any(locked);
    return query
        select w.id, w.workflow_id, w.trigger, w.workflow_version, w.definition::text,
               (select jsonb_object_agg(n.node_id, n.status) from workflow_run_node n where n.run_id = w.id)
          from workflow_run w
         where w.id = any(locked)
         order by w.id;
end
$$;
