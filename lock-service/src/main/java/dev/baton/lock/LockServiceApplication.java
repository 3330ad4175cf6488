package dev.baton.lock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/** The lock service: leases on locks, semaphores and leader elections. */
@SpringBootApplication
public class LockServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(LockServiceApplication.class, args);
    }

    /**
     * Event loops of this application's own, closed with it: Reactor Netty's global ones would be
     * closed by whichever of several instances in one JVM (a test's replicas) stopped first.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
