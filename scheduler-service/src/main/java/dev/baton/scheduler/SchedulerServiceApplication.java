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

    public static void main(String[] args) {
        SpringApplication.run(SchedulerServiceApplication.class, args);
    }

    /** Trigger times and deadlines are reckoned on this clock. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
