package dev.baton.scheduler;

import static dev.baton.scheduler.SchedulerServiceApplication.COMMON_POOL_PARALLELISM;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the scheduler sizes the JVM's common pool before it starts. */
class CommonPoolTest {

    private String before;

    @BeforeEach
    void clear() {
        before = System.clearProperty(COMMON_POOL_PARALLELISM);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(COMMON_POOL_PARALLELISM);
        } else {
            System.setProperty(COMMON_POOL_PARALLELISM, before);
        }
    }

    @Test
    void one_or_two_processors_get_a_common_pool_of_two() {
        SchedulerServiceApplication.keepTheCommonPool(1);
        assertThat(System.getProperty(COMMON_POOL_PARALLELISM)).isEqualTo("2");
        System.clearProperty(COMMON_POOL_PARALLELISM);

        SchedulerServiceApplication.keepTheCommonPool(2);
        assertThat(System.getProperty(COMMON_POOL_PARALLELISM)).isEqualTo("2");
    }

    @Test
    void three_processors_or_more_keep_the_jvm_default() {
        SchedulerServiceApplication.keepTheCommonPool(3);
        assertThat(System.getProperty(COMMON_POOL_PARALLELISM)).isNull();
    }

    @Test
    void a_size_given_to_the_jvm_is_kept() {
        System.setProperty(COMMON_POOL_PARALLELISM, "1");
        SchedulerServiceApplication.keepTheCommonPool(2);
        assertThat(System.getProperty(COMMON_POOL_PARALLELISM)).isEqualTo("1");
    }
}
