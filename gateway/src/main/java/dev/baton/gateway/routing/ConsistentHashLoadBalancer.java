package dev.baton.gateway.routing;

import dev.baton.common.routing.HashRing;
import dev.baton.discovery.BatonServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Mono;

/**
 * Spring Cloud LoadBalancer's missing consistent-hash balancer: a request with a key goes to the
 * key's replica on a {@link HashRing} of the service's instances, weighted by their
 * {@code weight} metadata, under bounded loads (a replica over {@code 1 + epsilon} times the
 * average requests in flight passes the key on along the ring); a request without a key is
 * balanced round-robin. On a retry after a failed connection it takes the next replica on the
 * ring that the request has not tried. The ring is rebuilt only when the instances, their
 * addresses or their weights change; the same list as last time is recognised without looking
 * into it.
 */
class ConsistentHashLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final String serviceId;
    private final ObjectProvider<ServiceInstanceListSupplier> suppliers;
    private final InFlight inFlight;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private volatile Built built;

    /** A ring and what it was built from: the list itself, and its members' ids, addresses and weights. */
    private record Built(
            List<ServiceInstance> instances, List<String> members, int virtualNodes, HashRing<ServiceInstance> ring) {}

    public ConsistentHashLoadBalancer(
            String serviceId, ObjectProvider<ServiceInstanceListSupplier> suppliers, InFlight inFlight) {
        this.serviceId = serviceId;
        this.suppliers = suppliers;
        this.inFlight = inFlight;
    }

    @Override
    public Mono<Response<ServiceInstance>> choose(Request request) {
        ServiceInstanceListSupplier supplier = suppliers.getIfAvailable();
        if (supplier == null) {
            return Mono.just(new EmptyResponse());
        }
        Map<String, Object> attributes =
                request.getContext() instanceof RequestDataContext context && context.getClientRequest() != null
                        ? context.getClientRequest().getAttributes()
                        : Map.of();
        return supplier.get(request).next().map(instances -> choose(instances, attributes));
    }

    /**
     * The instance for a request with this key (null for round-robin) under these settings,
     * skipping the instances already tried; empty when every instance was tried or there is none.
     */
    public Mono<ServiceInstance> choose(String key, HashRouting settings, Set<String> tried) {
        ServiceInstanceListSupplier supplier = suppliers.getIfAvailable();
        if (supplier == null) {
            return Mono.empty();
        }
        return supplier.get().next().mapNotNull(instances -> choose(instances, key, settings, tried));
    }

    @SuppressWarnings("unchecked")
    private Response<ServiceInstance> choose(List<ServiceInstance> instances, Map<String, Object> attributes) {
        ServiceInstance chosen = choose(
                instances,
                (String) attributes.get(HashRouting.KEY_ATTR),
                (HashRouting) attributes.get(HashRouting.SETTINGS_ATTR),
                (Set<String>) attributes.getOrDefault(HashRouting.TRIED_ATTR, Set.of()));
        return chosen == null ? new EmptyResponse() : new DefaultResponse(chosen);
    }

    private ServiceInstance choose(
            List<ServiceInstance> instances, String key, HashRouting settings, Set<String> tried) {
        List<ServiceInstance> candidates = instances.stream()
                .filter(instance -> !tried.contains(instance.getInstanceId()))
                .toList();
        if (candidates.isEmpty()) {
            return null;
        }
        if (key == null || settings == null) {
            return candidates.get(Math.floorMod(roundRobin.getAndIncrement(), candidates.size()));
        }
        HashRing<ServiceInstance> ring = ring(instances, settings.virtualNodes());
        if (tried.isEmpty()) {
            return ring.locate(key, this::load, inFlight.total(serviceId), settings.epsilon());
        }
        return ring.walk(key).stream()
                .filter(instance -> !tried.contains(instance.getInstanceId()))
                .findFirst()
                .orElseThrow();
    }

    private int load(ServiceInstance instance) {
        return inFlight.of(serviceId, instance.getInstanceId());
    }

    private HashRing<ServiceInstance> ring(List<ServiceInstance> instances, int virtualNodes) {
        Built current = built;
        if (current != null && current.instances() == instances && current.virtualNodes() == virtualNodes) {
            return current.ring();
        }
        List<String> members = instances.stream()
                .map(instance -> instance.getInstanceId() + "@" + instance.getUri() + ":"
                        + BatonServiceInstance.weightOf(instance))
                .toList();
        HashRing<ServiceInstance> ring = current != null
                        && current.members().equals(members)
                        && current.virtualNodes() == virtualNodes
                ? current.ring()
                : HashRing.of(
                        instances.stream()
                                .map(instance -> new HashRing.Member<>(
                                        instance, instance.getInstanceId(), BatonServiceInstance.weightOf(instance)))
                                .toList(),
                        virtualNodes);
        built = new Built(instances, members, virtualNodes, ring);
        return ring;
    }
}
