package dev.baton.registry.catalog;

import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.ResourceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The service registry: instances register with a TTL, heartbeat, and are discovered while healthy. */
@RestController
@RequestMapping("/api/v1/registry")
@Tag(name = "Registry")
class RegistryController {

    private static final String METADATA_PARAM = "metadata.";

    private final RegistryService registry;

    RegistryController(RegistryService registry) {
        this.registry = registry;
    }

    /** An answer to a heartbeat. */
    record Heartbeat(Instant expiresAt) {}

    /** The services that have instances, with their counts. */
    record ServiceList(List<ServiceSummary> services) {}

    @PutMapping("/services/{service}/instances/{instanceId}")
    @Operation(
            summary = "Register or replace an instance",
            description =
                    "Its lease lasts ttlMs (default 15000) " + "from now on the database clock; heartbeats extend it.")
    Instance register(
            @PathVariable @ResourceName String service,
            @PathVariable @ResourceName String instanceId,
            @Valid @RequestBody InstanceRegistration registration) {
        return registry.register(service, instanceId, registration);
    }

    @PutMapping("/services/{service}/instances/{instanceId}/heartbeat")
    @Operation(
            summary = "Extend an instance's lease by its TTL",
            description = "404 when the instance is unknown or already expired: register it again.")
    Heartbeat heartbeat(@PathVariable @ResourceName String service, @PathVariable @ResourceName String instanceId) {
        return registry.heartbeat(service, instanceId)
                .map(Heartbeat::new)
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND,
                        "Instance '" + instanceId + "' of '" + service
                                + "' is not registered or has expired; register it again."));
    }

    @DeleteMapping("/services/{service}/instances/{instanceId}")
    @Operation(summary = "Deregister an instance", description = "204 also when it was not registered.")
    ResponseEntity<Void> deregister(
            @PathVariable @ResourceName String service, @PathVariable @ResourceName String instanceId) {
        registry.deregister(service, instanceId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/services")
    @Operation(summary = "Services with their instance and healthy counts", description = "A blocking query.")
    CompletableFuture<ResponseEntity<ServiceList>> services(
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        return registry.services(query)
                .thenApply(catalog -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(catalog.index()))
                        .body(new ServiceList(catalog.services())));
    }

    @GetMapping("/services/{service}/instances")
    @Operation(
            summary = "A service's healthy instances",
            description = "Filters: zone and metadata.KEY=VALUE. "
                    + "While the service is protected (fewer healthy instances than its protection threshold), "
                    + "expired instances are listed too, with healthy false. A blocking query.")
    CompletableFuture<ResponseEntity<List<Instance>>> instances(
            @PathVariable @ResourceName String service,
            @RequestParam(required = false) String zone,
            @Parameter(description = "metadata.KEY=VALUE filters, all of which must match", hidden = true) @RequestParam
                    Map<String, String> parameters,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        Map<String, String> metadata = parameters.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(METADATA_PARAM))
                .collect(Collectors.toMap(
                        entry -> entry.getKey().substring(METADATA_PARAM.length()), Map.Entry::getValue));
        return registry.instances(service, zone, metadata, query)
                .thenApply(listing -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(listing.index()))
                        .body(listing.instances()));
    }
}
