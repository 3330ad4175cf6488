package dev.baton.sample.inventory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A small inventory service on Baton's Spring Boot starter: it restocks an item under a Baton
 * lock ({@link Restocker}), reads its settings from Baton's config center and follows their
 * changes ({@link InventorySettings}), and restocks when the scheduler runs its task
 * ({@link RestockTask}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InventoryApplication {

    public static void main(String[] args) {
        SpringApplication.run(InventoryApplication.class, args);
    }
}
