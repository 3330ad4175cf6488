package dev.baton.sample.inventory;

import dev.baton.spring.boot.lock.BatonLocked;
import dev.baton.spring.boot.lock.BatonLocks;
import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * Restocks an item: reads its level, orders from the supplier, writes the new level. Two restocks
 * of one item at once would both read the same level and one order would be lost; the lock on
 * {@code inventory/<sku>}, held across every instance of the service, runs them one after the
 * other, and its fencing token guards the write.
 */
@Service
public class Restocker {

    /** What a restock did, and under which token. */
    public record Restock(String sku, int quantity, int before, int after, long token, Instant at) {}

    private final Stock stock;
    private final InventorySettings settings;

    public Restocker(Stock stock, InventorySettings settings) {
        this.stock = stock;
        this.settings = settings;
    }

    @BatonLocked(name = "'inventory/' + #sku", ttl = "30s", waitFor = "10s")
    public Restock restock(String sku) throws InterruptedException {
        long token = BatonLocks.currentLease().token();
        int quantity = settings.getRestockQuantity();
        int before = stock.level(sku).units();
        Thread.sleep(settings.getSupplierLatency().toMillis()); // the supplier confirms the order
        int after = stock.write(sku, before + quantity, token).units();
        return new Restock(sku, quantity, before, after, token, Instant.now());
    }
}
