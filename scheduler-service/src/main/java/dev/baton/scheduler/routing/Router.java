package dev.baton.scheduler.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.stereotype.Component;

/**
 * Picks the instances an execution calls, by its job's routing. Round-robin counts per job;
 * least-active counts the calls this replica has in flight to each instance, as Dubbo's
 * {@code LeastActiveLoadBalance} does for its consumer. Thread-safe.
 */
@Component
public class Router {

    private final WorkerDirectory directory;
    private final Map<UUID, AtomicLong> turns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();

    public Router(WorkerDirectory directory) {
        this.directory = directory;
    }

    /**
     * One call of an execution: its shard and the instances to try in order (more than one only
     * for FAILOVER). An empty list means no instance was available.
     */
    public record Call(int shardIndex, int shardTotal, List<ServiceInstance> candidates) {}

    /**
     * The calls of an execution of a job that targets a registered service.
     *
     * @param shards the number of calls of a {@code SHARDED} execution
     * @param routingKey the key of {@code CONSISTENT_HASH} routing
     */
    public List<Call> route(UUID jobId, String service, Routing routing, int shards, String routingKey) {
        WorkerDirectory.Listing listing = directory.instances(service);
        List<ServiceInstance> instances = listing.instances();
        if (instances.isEmpty()) {
            return routing == Routing.SHARDED ? shards(shards, instances) : List.of(new Call(0, 1, List.of()));
        }
        switch (routing) {
            case BROADCAST: {
                List<Call> calls = new ArrayList<>();
                for (int i = 0; i < instances.size(); i++) {
                    calls.add(new Call(i, instances.size(), List.of(instances.get(i))));
                }
                return calls;
            }
            case SHARDED:
                return shards(shards, instances);
            case FAILOVER:
                return List.of(new Call(0, 1, instances));
            case CONSISTENT_HASH:
                return single(listing.ring().locate(routingKey));
            case RANDOM:
                return single(instances.get(ThreadLocalRandom.current().nextInt(instances.size())));
            case LEAST_ACTIVE:
                return single(leastActive(instances));
            default:
                long turn = turns.computeIfAbsent(jobId, id -> new AtomicLong()).getAndIncrement();
                return single(instances.get((int) Math.floorMod(turn, (long) instances.size())));
        }
    }

    /** Counts a call starting on an instance, for LEAST_ACTIVE. */
    public void started(ServiceInstance instance) {
        active.computeIfAbsent(key(instance), id -> new AtomicInteger()).incrementAndGet();
    }

    /** Counts a call ending on an instance. */
    public void ended(ServiceInstance instance) {
        AtomicInteger count = active.get(key(instance));
        if (count != null) {
            count.decrementAndGet();
        }
    }

    /** Forgets a deleted job's round-robin turn. */
    public void forget(UUID jobId) {
        turns.remove(jobId);
    }

    private ServiceInstance leastActive(List<ServiceInstance> instances) {
        int least = instances.stream().mapToInt(this::activeOn).min().orElseThrow();
        List<ServiceInstance> idlest = instances.stream()
                .filter(instance -> activeOn(instance) == least)
                .toList();
        return idlest.get(ThreadLocalRandom.current().nextInt(idlest.size()));
    }

    /** Instance ids are unique within their service only. */
    private static String key(ServiceInstance instance) {
        return instance.getServiceId() + "/" + instance.getInstanceId();
    }

    private int activeOn(ServiceInstance instance) {
        AtomicInteger count = active.get(key(instance));
        return count == null ? 0 : count.get();
    }

    private static List<Call> shards(int total, List<ServiceInstance> instances) {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            calls.add(
                    new Call(i, total, instances.isEmpty() ? List.of() : List.of(instances.get(i % instances.size()))));
        }
        return calls;
    }

    private static List<Call> single(ServiceInstance instance) {
        return List.of(new Call(0, 1, List.of(instance)));
    }
}
