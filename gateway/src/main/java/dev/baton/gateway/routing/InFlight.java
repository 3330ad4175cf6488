package dev.baton.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.stereotype.Component;

/**
 * Requests in flight to each upstream instance of each service: the loads that bounded loads
 * bound. Each request sent is also counted in {@code baton.gateway.upstream.requests}, by service
 * and instance. An instance's count and counter are made at its first request and found by the
 * service's and the instance's id at the next ones.
 */
@Component
class InFlight {

    /** One instance's requests in flight, and its counter of requests sent. */
    private record Instance(AtomicInteger inFlight, Counter requests) {}

    /** One service's requests in flight, and its instances by id. */
    private record Service(AtomicLong inFlight, Map<String, Instance> instances) {}

    private final Map<String, Service> services = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    InFlight(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Counts a request sent to {@code instance}, in flight until {@link #finished}. */
    void started(ServiceInstance instance) {
        String serviceId = instance.getServiceId();
        Service service = services.get(serviceId);
        if (service == null) {
            service =
                    services.computeIfAbsent(serviceId, id -> new Service(new AtomicLong(), new ConcurrentHashMap<>()));
        }
        String instanceId = instance.getInstanceId();
        Instance counts = service.instances().get(instanceId);
        if (counts == null) {
            counts = service.instances()
                    .computeIfAbsent(
                            instanceId,
                            id -> new Instance(
                                    new AtomicInteger(),
                                    meters.counter(
                                            "baton.gateway.upstream.requests", "service", serviceId, "instance", id)));
        }
        counts.requests().increment();
        counts.inFlight().incrementAndGet();
        service.inFlight().incrementAndGet();
    }

    void finished(ServiceInstance instance) {
        Service service = services.get(instance.getServiceId());
        if (service == null) {
            return;
        }
        Instance counts = service.instances().get(instance.getInstanceId());
        if (counts != null) {
            counts.inFlight().decrementAndGet();
        }
        service.inFlight().decrementAndGet();
    }

    /** Requests in flight to one instance. */
    public int of(String serviceId, String instanceId) {
        Service service = services.get(serviceId);
        Instance counts = service == null ? null : service.instances().get(instanceId);
        return counts == null ? 0 : counts.inFlight().get();
    }

    /** Requests in flight to every instance of a service. */
    public long total(String serviceId) {
        Service service = services.get(serviceId);
        return service == null ? 0 : service.inFlight().get();
    }
}
