package dev.baton.client.worker;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * A worker as a user writes one: a Spring Boot application with a bean of tasks. This module's
 * tests also run lock-service in their JVM, so a Baton service's security, database, API documents
 * and {@code application.yml} are on the classpath; a worker has none of them, and they are left out.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
        excludeName = {
            "dev.baton.common.security.ServletSecurityAutoConfiguration",
            "dev.baton.common.openapi.OpenApiAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
@Import(WorkerApplication.BillingTasks.class)
class WorkerApplication {

    /** Keeps lock-service's {@code application.yml} out: start every worker with this property. */
    static final String OWN_CONFIG = "spring.config.name=worker";

    record Invoice(String customer, int cents) {}

    record Receipt(String customer, int cents, String note) {}

    record Counting(int lines, long everyMs) {}

    /** The tasks, with what the tests need to see and steer them. */
    static class BillingTasks {

        final AtomicInteger charges = new AtomicInteger();
        final Map<Long, CompletableFuture<String>> settlements = new ConcurrentHashMap<>();

        @BatonTask("charge")
        Receipt charge(Invoice invoice) {
            charges.incrementAndGet();
            return new Receipt(invoice.customer(), invoice.cents(), "charged");
        }

        @BatonTask("describe")
        Map<String, Object> describe(TaskContext context, JsonNode payload) {
            return Map.of(
                    "executionId",
                    context.executionId(),
                    "attempt",
                    context.attempt(),
                    "shardIndex",
                    context.shardIndex(),
                    "shardTotal",
                    context.shardTotal(),
                    "scheduledAt",
                    context.scheduledAt().toString(),
                    "payload",
                    payload);
        }

        @BatonTask("close-ledger")
        void closeLedger(TaskContext context) {
            throw new IllegalStateException("the ledger of execution " + context.executionId() + " is closed");
        }

        @BatonTask("noop")
        void noop() {}

        /** Completes when the test completes its settlement. */
        @BatonTask("settle")
        CompletionStage<Receipt> settle(Invoice invoice, TaskContext context) {
            CompletableFuture<String> settlement = new CompletableFuture<>();
            settlements.put(context.executionId(), settlement);
            return settlement.thenApply(note -> {
                context.log("settled: {}", note);
                return new Receipt(invoice.customer(), invoice.cents(), note);
            });
        }

        /** Logs {@code lines} lines, {@code everyMs} apart, the last one as it returns. */
        @BatonTask("count")
        int count(Counting counting, TaskContext context) throws InterruptedException {
            for (int i = 1; i <= counting.lines(); i++) {
                if (i > 1) {
                    Thread.sleep(counting.everyMs());
                }
                context.log("line {} of {}", i, counting.lines());
            }
            return counting.lines();
        }
    }
}
