package dev.baton.sample.inventory;

import dev.baton.client.lock.LockNotGrantedException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The service's API: an item's stock, a restock, the settings in force, and the task's last runs. */
@RestController
@RequestMapping("/inventory")
public class InventoryController {

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The settings as this instance reads them now. */
    public record Settings(int restockQuantity, Duration supplierLatency) {}

    private final Stock stock;
    private final Restocker restocker;
    private final RestockTask task;
    private final InventorySettings settings;

    public InventoryController(Stock stock, Restocker restocker, RestockTask task, InventorySettings settings) {
        this.stock = stock;
        this.restocker = restocker;
        this.task = task;
        this.settings = settings;
    }

    @GetMapping("/stock/{sku}")
    public Stock.Level stock(@PathVariable String sku) {
        return stock.level(requireSku(sku));
    }

    @PostMapping("/stock/{sku}/restock")
    public Restocker.Restock restock(@PathVariable String sku) throws InterruptedException {
        return restocker.restock(requireSku(sku));
    }

    @GetMapping("/settings")
    public Settings settings() {
        return new Settings(settings.getRestockQuantity(), settings.getSupplierLatency());
    }

    @GetMapping("/task-runs")
    public List<RestockTask.Run> taskRuns() {
        return task.runs();
    }

    static boolean isSku(String sku) {
        return sku != null && SKU.matcher(sku).matches();
    }

    private static String requireSku(String sku) {
        if (!isSku(sku)) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "An item's SKU is 1 to 64 letters, digits, '.', '_' or '-': " + sku);
        }
        return sku;
    }

    /** Another restock of the item held the lock for longer than the wait. */
    @ExceptionHandler
    ProblemDetail busy(LockNotGrantedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail stale(Stock.StaleTokenException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
