package dev.baton.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** Requests in flight to each upstream instance of each service: the loads that bounded loads bound. */
@Component
public class InFlight {

    private final Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byService = new ConcurrentHashMap<>();

    private static String key(String serviceId, String instanceId) {
        return serviceId + "/" + instanceId;
    }

    void started(String serviceId, String instanceId) {
        byInstance
                .computeIfAbsent(key(serviceId, instanceId), k -> new AtomicInteger())
                .incrementAndGet();
        byService.computeIfAbsent(serviceId, k -> new AtomicLong()).incrementAndGet();
    }

    void finished(String serviceId, String instanceId) {
        byInstance.computeIfPresent(key(serviceId, instanceId), (k, count) -> {
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
