package dev.baton.gateway.routing;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Every load-balanced service behind the gateway is balanced by {@link ConsistentHashLoadBalancer}. */
class ConsistentHashConfiguration {

    @Bean
    ReactorLoadBalancer<ServiceInstance> consistentHashLoadBalancer(
            Environment environment, LoadBalancerClientFactory factory, InFlight inFlight) {
        String serviceId = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
        ObjectProvider<ServiceInstanceListSupplier> suppliers =
                factory.getLazyProvider(serviceId, ServiceInstanceListSupplier.class);
        return new ConsistentHashLoadBalancer(serviceId, suppliers, inFlight);
    }
}
