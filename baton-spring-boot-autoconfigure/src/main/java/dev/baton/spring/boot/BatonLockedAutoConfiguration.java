package dev.baton.spring.boot;

import dev.baton.client.BatonClient;
import dev.baton.spring.boot.lock.BatonLocked;
import dev.baton.spring.boot.lock.BatonLockedAdvisor;
import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/** {@link BatonLocked} methods, wherever the application has a Baton client. */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnBean(BatonClient.class)
public class BatonLockedAutoConfiguration {

    /**
     * Infrastructure, as the advisor of transactions is, so that whichever auto-proxy creator the
     * application has applies it; the client is looked up at the first call, not while proxies
     * are made.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor batonLockedAdvisor(ObjectProvider<BatonClient> client) {
        return new BatonLockedAdvisor(() -> client.getObject().locks());
    }
}
