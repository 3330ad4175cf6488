package dev.baton.gateway.routing;

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
 * and instance.
 */
@Component
class InFlight {

    private final Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byService = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    InFlight(MeterRegistry meters) {
        this.meters = meters;
    }

    private static String key(String serviceId, String instanceId) {
        return serviceId + "/" + instanceId;
    }

    /** Counts a request sent to {@code instance}, in flight until {@link #finished}. */
    void started(ServiceInstance instance) {
        String serviceId = instance.getServiceId();
        String instanceId = instance.getInstanceId();
        meters.counter("baton.gateway.upstream.requests", "service", serviceId, "instance", instanceId)
                .increment();
        byInstance
                .computeIfAbsent(key(serviceId, instanceId), k -> new AtomicInteger())
                .incrementAndGet();
        byService.computeIfAbsent(serviceId, k -> new AtomicLong()).incrementAndGet();
    }

    void finished(ServiceInstance instance) {
        String serviceId = instance.getServiceId();
        byInstance.computeIfPresent(key(serviceId, instance.getInstanceId()), (k, count) -> {
            count.decrementAndGet();
            return count;
        });
        byService.computeIfPresent(serviceId, (k, count) -> {
            count.decrementAndGet();
            return count;
        });
    }

    /** Requests in flight to one instance. */
    public int of(String serviceId, String instanceId) {
        AtomicInteger count = byInstance.get(key(serviceId, instanceId));
        return count == null ? 0 : count.get();
    }

    /** Requests in flight to every instance of a service. */
    public long total(String serviceId) {
        AtomicLong count = byService.get(serviceId);
        return count == null ? 0 : count.get();
    }
}
