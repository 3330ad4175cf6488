package dev.baton.discovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Registration with Baton's registry: Spring Cloud's {@code ServiceRegistry}, and the application
 * registered automatically unless {@code baton.discovery.register} or Spring Cloud's
 * {@code spring.cloud.service-registry.auto-registration.enabled} is false.
 */
@AutoConfiguration(after = {BatonDiscoveryAutoConfiguration.class, AutoServiceRegistrationAutoConfiguration.class})
@ConditionalOnBean(RegistryClient.class)
@ConditionalOnClass(WebServerInitializedEvent.class)
@ConditionalOnProperty(value = "spring.cloud.service-registry.enabled", matchIfMissing = true)
public class BatonServiceRegistryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BatonServiceRegistry batonServiceRegistry(RegistryClient registry, BatonDiscoveryProperties properties) {
        return new BatonServiceRegistry(registry, properties.ttl(), properties.heartbeatInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AutoServiceRegistrationProperties.class)
    @ConditionalOnProperty(value = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
    @ConditionalOnProperty(prefix = "baton.discovery", name = "register", matchIfMissing = true)
    BatonAutoServiceRegistration batonAutoServiceRegistration(
            ApplicationContext context,
            BatonServiceRegistry registry,
            AutoServiceRegistrationProperties autoRegistration,
            BatonDiscoveryProperties properties) {
        return new BatonAutoServiceRegistration(context, registry, autoRegistration, properties);
    }
}
