package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.BatonClient;
import dev.baton.client.shedlock.BatonLockProvider;
import dev.baton.client.worker.BatonWorkerAutoConfiguration;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class BatonAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(BatonAutoConfiguration.class, BatonShedLockAutoConfiguration.class));

    @Test
    void without_baton_url_nothing_is_configured() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(BatonClient.class);
            assertThat(context).doesNotHaveBean(LockProvider.class);
        });
    }

    @Test
    void baton_url_and_api_key_give_a_client_and_a_shedlock_provider() {
        runner.withPropertyValues("baton.url=http://localhost:1", "baton.api-key=some-key", "baton.owner=billing-1")
                .run(context -> {
                    assertThat(context.getBean(BatonClient.class).owner()).isEqualTo("billing-1");
                    assertThat(context).getBean(LockProvider.class).isInstanceOf(BatonLockProvider.class);
                });
    }

    @Test
    void without_shedlock_on_the_classpath_there_is_a_client_and_no_lock_provider() {
        runner.withPropertyValues("baton.url=http://localhost:1", "baton.api-key=some-key")
                .withClassLoader(new FilteredClassLoader(LockProvider.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(BatonClient.class);
                    assertThat(context).doesNotHaveBean(BatonLockProvider.class);
                });
    }

    @Test
    void the_applications_own_lock_provider_is_kept() {
        runner.withPropertyValues("baton.url=http://localhost:1", "baton.api-key=some-key")
                .withUserConfiguration(OwnLockProvider.class)
                .run(context -> assertThat(context).getBean(LockProvider.class).isSameAs(OwnLockProvider.PROVIDER));
    }

    @Test
    void a_url_without_a_key_fails_start_up_naming_the_property() {
        runner.withPropertyValues("baton.url=http://localhost:1")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("baton.api-key"));
    }

    @Test
    void a_timeout_that_is_not_positive_fails_start_up_naming_the_property() {
        runner.withPropertyValues("baton.url=http://localhost:1", "baton.api-key=k", "baton.request-timeout=0s")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("baton.request-timeout"));
    }

    @Test
    void the_worker_sdk_serves_tasks_in_a_web_application_only() {
        AutoConfigurations worker = AutoConfigurations.of(BatonWorkerAutoConfiguration.class);
        new WebApplicationContextRunner()
                .withConfiguration(worker)
                .run(context -> assertThat(context).hasBean("batonTaskRoutes"));
        new ApplicationContextRunner()
                .withConfiguration(worker)
                .run(context -> assertThat(context).doesNotHaveBean("batonTaskRoutes"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLockProvider {

        static final LockProvider PROVIDER = new LockProvider() {
            @Override
            public Optional<SimpleLock> lock(LockConfiguration configuration) {
                return Optional.empty();
            }
        };

        @Bean
        LockProvider ownLockProvider() {
            return PROVIDER;
        }
    }
}
