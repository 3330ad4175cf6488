package dev.baton.discovery;

import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * A service's instances for Spring Cloud LoadBalancer, from an {@link InstanceWatch} that runs
 * until the load balancer's context closes.
 */
public class WatchedInstances implements ServiceInstanceListSupplier, DisposableBean {

    private final InstanceWatch watch;

    public WatchedInstances(String serviceId, RegistryClient registry) {
        this.watch = new InstanceWatch(serviceId, registry);
    }

    @Override
    public String getServiceId() {
        return watch.serviceId();
    }

    @Override
    public Flux<List<ServiceInstance>> get() {
        return Flux.defer(() -> Flux.just(watch.current()));
    }

    @Override
    public void destroy() {
        watch.close();
    }
}
