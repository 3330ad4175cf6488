package dev.baton.scheduler.workflow;

import dev.baton.common.problem.Problems;
import dev.baton.scheduler.job.Job;
import dev.baton.scheduler.job.JobService;
import dev.baton.scheduler.job.Schedules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * The rules of a workflow definition that span fields or need the jobs; annotations check the
 * rest: its size, its schedule's rules, a job for every node, and a DAG ({@link Graph#refusals}).
 */
@Component
@EnableConfigurationProperties(WorkflowProperties.class)
class WorkflowValidator {

    private final JobService jobs;
    private final WorkflowProperties properties;

    WorkflowValidator(JobService jobs, WorkflowProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    /**
     * Throws a 400 problem listing every rule the definition breaks; returns the jobs its nodes
     * run, by id.
     */
    Map<UUID, Job> validate(WorkflowDefinition workflow) {
        List<WorkflowDefinition.Edge> edges = workflow.edges() == null ? List.of() : workflow.edges();
        List<Problems.FieldError> errors = new ArrayList<>();
        if (workflow.nodes().size() > properties.maxNodes()) {
            errors.add(new Problems.FieldError(
                    "nodes", "has more than " + properties.maxNodes() + " (baton.scheduler.workflows.max-nodes)"));
        }
        if (edges.size() > properties.maxEdges()) {
            errors.add(new Problems.FieldError(
                    "edges", "has more than " + properties.maxEdges() + " (baton.scheduler.workflows.max-edges)"));
        }
        if (workflow.schedule() != null) {
            errors.addAll(Schedules.refusals(workflow.schedule()));
        }
        Map<UUID, Job> known = errors.isEmpty()
                ? jobs
                        .find(workflow.nodes().stream()
                                .map(WorkflowDefinition.Node::jobId)
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(Job::id, Function.identity()))
                : Map.of();
        if (errors.isEmpty()) {
            for (int i = 0; i < workflow.nodes().size(); i++) {
                UUID job = workflow.nodes().get(i).jobId();
                if (!known.containsKey(job)) {
                    errors.add(new Problems.FieldError("nodes[" + i + "].jobId", "names no job: " + job));
                }
            }
            errors.addAll(Graph.refusals(workflow.nodes(), edges));
        }
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(
                    HttpStatus.BAD_REQUEST, Problems.validation("The workflow definition is invalid.", errors), null);
        }
        return known;
    }
}
