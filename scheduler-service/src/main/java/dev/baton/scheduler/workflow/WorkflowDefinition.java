package dev.baton.scheduler.workflow;

import dev.baton.common.web.ResourceName;
import dev.baton.scheduler.job.JobDefinition;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * A workflow as the API takes it and stores it: a DAG of nodes, each running a job, joined by
 * edges on which a node runs once its upstream nodes ended as they say. Absent optional fields
 * take their defaults in {@link #withDefaults()}; the rules that span fields, or need the jobs, are
 * checked by {@link WorkflowValidator}.
 *
 * @param name a unique name
 * @param schedule when it runs by itself, as a job's schedule; none to run it only when triggered
 * @param nodes its nodes, at most {@code baton.scheduler.workflows.max-nodes}
 * @param edges its edges, at most {@code baton.scheduler.workflows.max-edges}; none by default
 * @param misfire what happens to a scheduled run found late, as for a job
 * @param concurrency what happens when a run is due while another runs, as for a job
 * @param enabled false to create it paused: its schedule starts no run, a trigger still does
 */
record WorkflowDefinition(
        @ResourceName String name,
        @Valid JobDefinition.Schedule schedule,
        @NotNull @Size(min = 1, max = 10_000) List<@NotNull @Valid Node> nodes,
        @Size(max = 100_000) List<@NotNull @Valid Edge> edges,
        JobDefinition.Misfire misfire,
        JobDefinition.Concurrency concurrency,
        Boolean enabled) {

    /** The same workflow with every absent optional field set to its default. */
    WorkflowDefinition withDefaults() {
        return new WorkflowDefinition(
                name,
                schedule,
                nodes,
                edges == null
                        ? List.of()
                        : edges.stream().map(Edge::withDefaults).toList(),
                misfire == null ? JobDefinition.Misfire.FIRE_NOW : misfire,
                concurrency == null ? JobDefinition.Concurrency.ALLOW : concurrency,
                enabled == null || enabled);
    }

    /**
     * A node: a job to run.
     *
     * @param id its name within the workflow, the key of its result in its downstream nodes' input
     * @param jobId the job it runs
     */
    record Node(
            @NotNull
            @Pattern(
                    regexp = "[A-Za-z0-9._:-]{1,100}",
                    message = "must be 1 to 100 of A-Z, a-z, 0-9, '.', '_', ':' and '-'")
            String id,

            @NotNull UUID jobId) {}

    /**
     * An edge: {@code to} may run once {@code from} ended as {@code on} says.
     *
     * @param on SUCCESS (the default), FAILURE or ALWAYS
     */
    record Edge(
            @NotNull @Size(max = 100) String from,
            @NotNull @Size(max = 100) String to,
            Condition on) {

        Edge withDefaults() {
            return new Edge(from, to, on == null ? Condition.SUCCESS : on);
        }
    }
}
