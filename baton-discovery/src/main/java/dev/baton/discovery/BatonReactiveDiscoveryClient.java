package dev.baton.discovery;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Spring Cloud's {@link ReactiveDiscoveryClient} on Baton's registry; its calls run off the event loop. */
public class BatonReactiveDiscoveryClient implements ReactiveDiscoveryClient {

    private final BatonDiscoveryClient blocking;

    public BatonReactiveDiscoveryClient(BatonDiscoveryClient blocking) {
        this.blocking = blocking;
    }

    @Override
    public String description() {
        return blocking.description();
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.defer(() -> Flux.fromIterable(blocking.getInstances(serviceId)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Flux<String> getServices() {
        return Flux.defer(() -> Flux.fromIterable(blocking.getServices())).subscribeOn(Schedulers.boundedElastic());
    }
}
