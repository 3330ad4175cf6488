package dev.baton.registry.catalog;

import dev.baton.registry.RegistryProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes expired instances, on one replica at a time, and wakes whoever watches their services.
 * Lists leave an expired instance out at once; this only makes its removal a change that watchers
 * hear. A protected service keeps its expired instances until enough of them are healthy again.
 */
@Component
class RegistrySweeper {

    private static final Logger log = LoggerFactory.getLogger(RegistrySweeper.class);
    private static final int BATCH = 500;

    private final InstanceStore store;
    private final RegistryProperties properties;
    private final Counter expired;
    private final Counter protections;
    private final Set<String> protectedServices = ConcurrentHashMap.newKeySet();

    RegistrySweeper(InstanceStore store, RegistryProperties properties, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.expired = Counter.builder("baton.registry.instances.expired")
                .description("Expired instances removed")
                .register(meters);
        this.protections = Counter.builder("baton.registry.protection.activated")
                .description("Times a service entered protection: its expired instances stay listed")
                .register(meters);
        meters.gauge("baton.registry.protection.services", protectedServices, Set::size);
    }

    @Scheduled(
            fixedDelayString = "#{@'baton.registry-dev.baton.registry.RegistryProperties'.sweepInterval().toMillis()}")
    @SchedulerLock(name = "registry-sweeper", lockAtMostFor = "PT10S")
    void sweep() {
        Set<String> stillProtected = ConcurrentHashMap.newKeySet();
        for (ServiceSummary service : store.servicesWithExpired(BATCH)) {
            if (properties.protection().holds(service.name(), service.healthy(), service.instances())) {
                stillProtected.add(service.name());
                if (protectedServices.add(service.name())) {
                    protections.increment();
                    log.warn(
                            "Protecting service '{}': only {} of its {} instances are healthy, below its threshold "
                                    + "of {}; its expired instances stay listed",
                            service.name(),
                            service.healthy(),
                            service.instances(),
                            properties.protection().of(service.name()));
                }
                continue;
            }
            int removed = store.removeExpired(service.name());
            if (removed > 0) {
                expired.increment(removed);
                log.info("Removed {} expired instance(s) of '{}'", removed, service.name());
            }
        }
        protectedServices.removeIf(name -> {
            if (stillProtected.contains(name)) {
                return false;
            }
            log.info("Service '{}' is no longer protected", name);
            return true;
        });
    }
}
