package dev.baton.scheduler.workflow;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Workflow settings ({@code baton.scheduler.workflows.*}). Each node that ends reads every node
 * status of its run, so these bound a run's cost.
 *
 * @param maxNodes the most nodes a workflow may have
 * @param maxEdges the most edges a workflow may have
 */
@Validated
@ConfigurationProperties("baton.scheduler.workflows")
record WorkflowProperties(
        @DefaultValue("500") @Min(1) @Max(10_000) int maxNodes,
        @DefaultValue("2000") @Min(0) @Max(100_000) int maxEdges) {}
