package dev.baton.sample.inventory;

import dev.baton.client.worker.BatonTask;
import dev.baton.client.worker.TaskContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/**
 * The task the scheduler runs: a job whose target is the service {@code inventory} and whose path
 * is {@code /baton/tasks/restock}, with a body such as {@code {"sku": "widget"}}. It runs in the
 * scheduler's trace, and keeps the last runs with the trace id each ran under.
 */
@Component
public class RestockTask {

    /** The job's body. */
    public record Order(String sku) {}

    /** One run of the task. */
    public record Run(long executionId, int attempt, String traceId, Restocker.Restock restock) {}

    private static final int KEPT = 20;

    private final Restocker restocker;
    private final Tracer tracer;
    private final List<Run> runs = new CopyOnWriteArrayList<>();

    public RestockTask(Restocker restocker, Tracer tracer) {
        this.restocker = restocker;
        this.tracer = tracer;
    }

    @BatonTask("restock")
    public Restocker.Restock restock(Order order, TaskContext context) throws InterruptedException {
        if (order == null || !InventoryController.isSku(order.sku())) {
            throw new IllegalArgumentException("The job's body must name an item: {\"sku\": \"widget\"}");
        }
        Restocker.Restock restock = restocker.restock(order.sku());
        context.log("restocked {} units of {} under token {}", restock.quantity(), order.sku(), restock.token());
        Span span = tracer.currentSpan();
        runs.add(new Run(
                context.executionId(),
                context.attempt(),
                span == null ? null : span.context().traceId(),
                restock));
        if (runs.size() > KEPT) {
            runs.remove(0);
        }
        return restock;
    }

    /** The last runs, oldest first. */
    public List<Run> runs() {
        return List.copyOf(runs);
    }
}
