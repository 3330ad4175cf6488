package dev.baton.sample.inventory;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's settings ({@code inventory.*}), kept in Baton's config center in the namespace
 * {@code inventory}. A JavaBean, so that a refresh rebinds this same instance when a value
 * changes in Baton: read it at each use, never copy a value into a field of your own.
 */
@ConfigurationProperties("inventory")
public class InventorySettings {

    /** How many units one restock orders. */
    private int restockQuantity = 10;

    /** How long the supplier takes to confirm an order. */
    private Duration supplierLatency = Duration.ofMillis(200);

    public int getRestockQuantity() {
        return restockQuantity;
    }

    public void setRestockQuantity(int restockQuantity) {
        this.restockQuantity = restockQuantity;
    }

    public Duration getSupplierLatency() {
        return supplierLatency;
    }

    public void setSupplierLatency(Duration supplierLatency) {
        this.supplierLatency = supplierLatency;
    }
}
