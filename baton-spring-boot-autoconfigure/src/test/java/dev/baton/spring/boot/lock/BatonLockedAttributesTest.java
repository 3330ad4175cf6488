package dev.baton.spring.boot.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.spring.boot.BatonAutoConfiguration;
import dev.baton.spring.boot.BatonLockedAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which beans get {@code @BatonLocked}, and the attributes checked at start-up. */
class BatonLockedAttributesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    AopAutoConfiguration.class, BatonAutoConfiguration.class, BatonLockedAutoConfiguration.class));

    @Test
    void a_bean_with_a_locked_method_is_proxied_once_there_is_a_client() {
        runner.withUserConfiguration(WellFormed.class)
                .withPropertyValues("baton.url=http://localhost:1", "baton.api-key=k")
                .run(context -> assertThat(AopUtils.isAopProxy(context.getBean(Locked.class)))
                        .isTrue());
        runner.withUserConfiguration(WellFormed.class)
                .run(context -> assertThat(AopUtils.isAopProxy(context.getBean(Locked.class)))
                        .isFalse());
    }

    @Test
    void a_ttl_that_is_not_a_duration_stops_start_up_naming_the_method() {
        runner.withUserConfiguration(BadTtl.class)
                .withPropertyValues("baton.url=http://localhost:1", "baton.api-key=k")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("@BatonLocked ttl 'soon' of")
                        .hasStackTraceContaining("WithBadTtl.run()"));
    }

    @Test
    void a_name_that_is_not_an_expression_stops_start_up() {
        runner.withUserConfiguration(BadName.class)
                .withPropertyValues("baton.url=http://localhost:1", "baton.api-key=k")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("not a SpEL expression"));
    }

    static class Locked {
        @BatonLocked(name = "'reports'")
        public void run() {}
    }

    static class WithBadTtl {
        @BatonLocked(name = "'reports'", ttl = "soon")
        public void run() {}
    }

    static class WithBadName {
        @BatonLocked(name = "'reports' +")
        public void run() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class WellFormed {
        @Bean
        Locked locked() {
            return new Locked();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadTtl {
        @Bean
        WithBadTtl withBadTtl() {
            return new WithBadTtl();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadName {
        @Bean
        WithBadName withBadName() {
            return new WithBadName();
        }
    }
}
