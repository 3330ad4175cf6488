package dev.baton.spring.boot;

import dev.baton.client.BatonClient;
import dev.baton.client.shedlock.BatonLockProvider;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** ShedLock's {@code @SchedulerLock} tasks locked on Baton, unless the application has a provider of its own. */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass(LockProvider.class)
@ConditionalOnBean(BatonClient.class)
public class BatonShedLockAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(LockProvider.class)
    BatonLockProvider batonLockProvider(BatonClient client) {
        return new BatonLockProvider(client);
    }
}
