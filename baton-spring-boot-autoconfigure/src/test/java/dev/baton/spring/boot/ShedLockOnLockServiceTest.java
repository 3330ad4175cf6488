package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestApiKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** The auto-configured LockProvider of two applications, on a real lock-service. */
class ShedLockOnLockServiceTest {

    @Test
    void two_applications_configured_from_baton_url_share_one_shedlock_lock() {
        try (ConfigurableApplicationContext first = application("first");
                ConfigurableApplicationContext second = application("second")) {
            LockConfiguration report =
                    new LockConfiguration(Instant.now(), "nightly-report", Duration.ofSeconds(30), Duration.ZERO);

            Optional<SimpleLock> held = first.getBean(LockProvider.class).lock(report);
            assertThat(held).isPresent();
            assertThat(second.getBean(LockProvider.class).lock(report)).isEmpty();

            held.get().unlock();
            Optional<SimpleLock> next = second.getBean(LockProvider.class).lock(report);
            assertThat(next).isPresent();
            next.get().unlock();
        }
    }

    static ConfigurableApplicationContext application(String owner) {
        return new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .run(TestApplications.arguments(
                        "baton.url=" + TestLockService.url(),
                        "baton.api-key=" + TestApiKeys.WRITE,
                        "baton.owner=" + owner));
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({BatonAutoConfiguration.class, BatonShedLockAutoConfiguration.class})
    static class Application {}
}
