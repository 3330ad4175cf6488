package dev.baton.scheduler;

import dev.baton.scheduler.egress.EgressProperties;
import dev.baton.scheduler.egress.SigningProperties;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The scheduler service: jobs dispatched over REST to registered workers. */
@SpringBootApplication
@EnableConfigurationProperties({SchedulerProperties.class, EgressProperties.class, SigningProperties.class})
public class SchedulerServiceApplication {

    /** The property that sizes the JVM's common fork-join pool. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        keepTheCommonPool(Runtime.getRuntime().availableProcessors());
        SpringApplication.run(SchedulerServiceApplication.class, args);
    }

    /**
     * Gives the common pool two threads on a machine of one or two processors, unless it is sized
     * already. There the JDK gives it one, and {@code CompletableFuture} then starts a new thread
     * for each asynchronous task instead: the JDK's HTTP client hands every response to that
     * executor, so each worker call's answer started a thread, and a burst of answers (a
     * workflow's fan-out ending) queued on thread creation before its outcomes reached the writer.
     * It must run before anything loads {@code CompletableFuture}, which reads the size once.
     */
    static void keepTheCommonPool(int processors) {
        if (processors < 3 && System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }

    /** Trigger times and deadlines are reckoned on this clock. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
