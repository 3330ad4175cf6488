package dev.baton.registry.catalog;

import dev.baton.common.web.BlockingQuery;
import dev.baton.registry.RegistryProperties;
import dev.baton.registry.changes.Changes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * The service registry's door: registrations with their TTL, heartbeats, and the blocking queries
 * of the catalog and of a service's instances, listed as the service's protection allows.
 */
@Service
class RegistryService {

    private final InstanceStore store;
    private final Changes changes;
    private final RegistryProperties properties;

    RegistryService(InstanceStore store, Changes changes, RegistryProperties properties) {
        this.store = store;
        this.changes = changes;
        this.properties = properties;
    }

    /** Registers the instance, or replaces it: a new lease of its TTL, or the default TTL, from now. */
    Instance register(String service, String instanceId, InstanceRegistration registration) {
        Duration ttl = registration.ttlMs() == null ? properties.defaultTtl() : Duration.ofMillis(registration.ttlMs());
        return store.register(service, instanceId, registration, ttl);
    }

    /** Extends the instance's lease; empty when it is unknown or already expired. */
    Optional<Instant> heartbeat(String service, String instanceId) {
        return store.heartbeat(service, instanceId);
    }

    void deregister(String service, String instanceId) {
        store.deregister(service, instanceId);
    }

    /** Every service with instances, once the catalog's index passes the query's. */
    CompletableFuture<Catalog> services(BlockingQuery query) {
        return changes.watch(InstanceStore.SERVICES_TOPIC, query, store::services, Catalog::index);
    }

    /**
     * A service's instances in {@code zone} (any when null) whose metadata holds every entry of
     * {@code metadata}, once the service's index passes the query's: the healthy ones, or all of
     * them while the service is protected.
     */
    CompletableFuture<Listing> instances(
            String service, String zone, Map<String, String> metadata, BlockingQuery query) {
        return changes.watch(InstanceStore.topic(service), query, () -> store.instances(service), Listing::index)
                .thenApply(listing -> new Listing(
                        listing.index(),
                        listed(service, listing.instances()).stream()
                                .filter(instance -> zone == null || zone.equals(instance.zone()))
                                .filter(instance -> metadata.entrySet().stream()
                                        .allMatch(entry -> Objects.equals(
                                                instance.metadata().get(entry.getKey()), entry.getValue())))
                                .toList()));
    }

    /** The healthy instances, or all of them while the service is protected. */
    private List<Instance> listed(String service, List<Instance> instances) {
        long healthy = instances.stream().filter(Instance::healthy).count();
        if (properties.protection().holds(service, healthy, instances.size())) {
            return instances;
        }
        return instances.stream().filter(Instance::healthy).toList();
    }
}
