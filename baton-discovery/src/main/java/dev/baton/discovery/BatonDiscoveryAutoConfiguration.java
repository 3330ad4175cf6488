package dev.baton.discovery;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;

/** Discovery on Baton's registry, once {@code baton.discovery.url} is set. */
@AutoConfiguration(
        before = {
            SimpleDiscoveryClientAutoConfiguration.class,
            SimpleReactiveDiscoveryClientAutoConfiguration.class,
            CommonsClientAutoConfiguration.class
        })
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(prefix = "baton.discovery", name = "url")
@EnableConfigurationProperties(BatonDiscoveryProperties.class)
public class BatonDiscoveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RegistryClient batonRegistryClient(BatonDiscoveryProperties properties) {
        return new RegistryClient(properties.url(), properties.apiKey(), properties.requestTimeout());
    }

    /** The blocking client, for Spring MVC applications and Spring Cloud LoadBalancer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlockingDiscoveryEnabled
    static class Blocking {

        @Bean
        @ConditionalOnMissingBean
        BatonDiscoveryClient batonDiscoveryClient(RegistryClient registry) {
            return new BatonDiscoveryClient(registry);
        }
    }

    /** Spring Cloud LoadBalancer takes each service's instances from a watch, not from a cache that expires. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(LoadBalancerClientFactory.class)
    @LoadBalancerClients(defaultConfiguration = BatonLoadBalancerConfiguration.class)
    static class LoadBalancing {}

    /** The reactive client, for WebFlux applications and Spring Cloud Gateway. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flux.class)
    @ConditionalOnReactiveDiscoveryEnabled
    static class Reactive {

        @Bean
        @ConditionalOnMissingBean
        BatonReactiveDiscoveryClient batonReactiveDiscoveryClient(RegistryClient registry) {
            return new BatonReactiveDiscoveryClient(new BatonDiscoveryClient(registry));
        }
    }
}
