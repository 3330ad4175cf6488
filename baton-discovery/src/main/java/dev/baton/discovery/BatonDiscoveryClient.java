package dev.baton.discovery;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** Spring Cloud's {@link DiscoveryClient} on Baton's registry: a service's healthy instances. */
public class BatonDiscoveryClient implements DiscoveryClient {

    private final RegistryClient registry;

    public BatonDiscoveryClient(RegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public String description() {
        return "Baton registry";
    }

    @Override
    public List<ServiceInstance> getInstances(String serviceId) {
        return registry.instances(serviceId).stream()
                .<ServiceInstance>map(BatonServiceInstance::new)
                .toList();
    }

    @Override
    public List<String> getServices() {
        return registry.services();
    }

    @Override
    public void probe() {
        registry.services();
    }
}
