package dev.baton.discovery;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Each load-balanced service's instances, watched on Baton's registry ({@link WatchedInstances}):
 * applied to every Spring Cloud LoadBalancer client when discovery on Baton is configured.
 */
@Configuration(proxyBeanMethods = false)
public class BatonLoadBalancerConfiguration {

    @Bean
    ServiceInstanceListSupplier batonWatchedInstances(Environment environment, RegistryClient registry) {
        return new WatchedInstances(environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME), registry);
    }
}
