package dev.baton.scheduler.routing;

import dev.baton.common.routing.HashRing;
import dev.baton.discovery.BatonServiceInstance;
import dev.baton.discovery.InstanceWatch;
import dev.baton.discovery.RegistryClient;
import dev.baton.http.BatonException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.stereotype.Component;

/**
 * The healthy instances of the services that jobs target, each service watched with a blocking
 * query on the registry once a job first needs it, so a dispatch never waits for a lookup.
 * Without a registry ({@code baton.discovery.url} unset) only jobs with an absolute URL can run.
 */
@Component
public class WorkerDirectory implements DisposableBean {

    private final RegistryClient registry;
    private final Map<String, Watched> services = new ConcurrentHashMap<>();

    public WorkerDirectory(ObjectProvider<RegistryClient> registry) {
        this.registry = registry.getIfAvailable();
    }

    /** A service's instances in instance id order, and their hash ring, built once per change of the list. */
    record Listing(List<ServiceInstance> instances, HashRing<ServiceInstance> ring) {}

    /** A listing and the watched list it was built from. */
    private record Built(List<ServiceInstance> source, Listing listing) {}

    private static final class Watched {

        final InstanceWatch watch;
        volatile Built built;

        Watched(InstanceWatch watch) {
            this.watch = watch;
        }
    }

    /** Whether there is a registry to find services in. */
    public boolean hasRegistry() {
        return registry != null;
    }

    /** Whether the registry lists the service; empty when the registry cannot be reached. */
    public Optional<Boolean> knows(String service) {
        Watched watched = services.get(service);
        if (watched != null && !watched.watch.current().isEmpty()) {
            return Optional.of(true);
        }
        try {
            return Optional.of(registry.services().contains(service));
        } catch (BatonException e) {
            return Optional.empty();
        }
    }

    /** The service's healthy instances, as last listed. */
    Listing instances(String service) {
        if (registry == null) {
            return new Listing(List.of(), null);
        }
        Watched watched = services.computeIfAbsent(service, name -> new Watched(new InstanceWatch(name, registry)));
        List<ServiceInstance> current = watched.watch.current();
        Built built = watched.built;
        if (built == null || built.source() != current) {
            List<ServiceInstance> sorted = current.stream()
                    .sorted(Comparator.comparing(ServiceInstance::getInstanceId))
                    .toList();
            built = new Built(
                    current,
                    new Listing(
                            sorted,
                            sorted.isEmpty()
                                    ? null
                                    : HashRing.of(sorted.stream()
                                            .map(instance -> new HashRing.Member<>(
                                                    instance,
                                                    instance.getInstanceId(),
                                                    BatonServiceInstance.weightOf(instance)))
                                            .toList())));
            watched.built = built;
        }
        return built.listing();
    }

    @Override
    public void destroy() {
        services.values().forEach(watched -> watched.watch.close());
    }
}
