package dev.baton.spring.boot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.spring.boot.BatonProperties;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;

/** When an application watches its {@code baton:} namespaces, and when it does not. */
class BatonConfigWatchAutoConfigurationTest {

    /** An import of Baton that nobody answers: the watch is made, and fails quietly, in these tests. */
    private static final ImportedConfig IMPORTED = new ImportedConfig(
            new BatonProperties("http://localhost:1", "some-key", null, null, null, null), "shop", List.of());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(RefreshAutoConfiguration.class, BatonConfigWatchAutoConfiguration.class));

    @Test
    void an_application_that_imported_baton_watches_its_namespaces() {
        runner.withBean(ImportedConfig.BEAN, ImportedConfig.class, () -> IMPORTED)
                .run(context -> {
                    assertThat(context).hasSingleBean(ConfigWatch.class);
                    assertThat(context.getBean(ConfigWatch.class).isRunning()).isTrue();
                });
    }

    @Test
    void without_an_import_of_baton_nothing_watches() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ConfigWatch.class);
        });
    }

    @Test
    void baton_config_watch_false_turns_the_watch_off() {
        runner.withBean(ImportedConfig.BEAN, ImportedConfig.class, () -> IMPORTED)
                .withPropertyValues("baton.config.watch=false")
                .run(context -> assertThat(context).doesNotHaveBean(ConfigWatch.class));
    }

    @Test
    void without_spring_cloud_context_the_auto_configuration_backs_off() {
        runner.withBean(ImportedConfig.BEAN, ImportedConfig.class, () -> IMPORTED)
                .withClassLoader(new FilteredClassLoader(ContextRefresher.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ConfigWatch.class);
                });
    }

    @Test
    void a_wait_longer_than_the_registry_holds_a_query_fails_start_up_naming_the_property() {
        runner.withBean(ImportedConfig.BEAN, ImportedConfig.class, () -> IMPORTED)
                .withPropertyValues("baton.config.watch-wait=6m")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("baton.config.watch-wait"));
    }

    @Test
    void a_backoff_that_is_not_positive_fails_start_up_naming_the_property() {
        runner.withBean(ImportedConfig.BEAN, ImportedConfig.class, () -> IMPORTED)
                .withPropertyValues("baton.config.max-backoff=0s")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("baton.config.max-backoff"));
    }
}
