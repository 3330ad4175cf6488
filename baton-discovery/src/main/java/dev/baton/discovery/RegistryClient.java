package dev.baton.discovery;

import dev.baton.http.BatonException;
import dev.baton.http.BatonHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Baton's registry API over HTTP: register, heartbeat, deregister, list. Each call is sent once:
 * the callers retry on their own schedules. A call that fails throws a {@link BatonException}.
 * Thread-safe.
 */
public class RegistryClient {

    private final BatonHttp http;

    public RegistryClient(String baseUrl, String apiKey, Duration timeout) {
        this.http = BatonHttp.builder()
                .baseUrl(Objects.requireNonNull(baseUrl, "baton.discovery.url"))
                .apiKey(apiKey)
                .connectTimeout(timeout)
                .requestTimeout(timeout)
                .maxAttempts(1)
                .build();
    }

    /**
     * An instance as the registry lists it.
     *
     * @param metadata its metadata
     */
    public record RegisteredInstance(
            String service,
            String instanceId,
            String host,
            int port,
            boolean secure,
            String zone,
            int weight,
            Map<String, String> metadata) {}

    /** Registers or replaces an instance. */
    public void register(RegisteredInstance instance, Duration ttl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("host", instance.host());
        body.put("port", instance.port());
        body.put("secure", instance.secure());
        body.put("zone", instance.zone());
        body.put("weight", instance.weight());
        body.put("metadata", instance.metadata());
        body.put("ttlMs", ttl.toMillis());
        send("PUT", instancePath(instance.service(), instance.instanceId()), body, Duration.ZERO);
    }

    /** Extends an instance's lease; false when the registry no longer knows it (register it again). */
    public boolean heartbeat(String service, String instanceId) {
        try {
            send("PUT", instancePath(service, instanceId) + "/heartbeat", null, Duration.ZERO);
            return true;
        } catch (BatonException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    public void deregister(String service, String instanceId) {
        send("DELETE", instancePath(service, instanceId), null, Duration.ZERO);
    }

    /**
     * A service's healthy instances and the registry's index for them.
     *
     * @param index the index to pass to the next blocking query
     */
    public record Listing(long index, List<RegisteredInstance> instances) {}

    /** A service's healthy instances. */
    public List<RegisteredInstance> instances(String service) {
        return parse(send("GET", "/api/v1/registry/services/" + segment(service) + "/instances", null, Duration.ZERO)
                .body());
    }

    /**
     * A blocking query: a service's healthy instances once they change past {@code index}, or
     * when {@code wait} passes.
     */
    public Listing watchInstances(String service, long index, Duration wait) {
        BatonHttp.Answer response = send(
                "GET",
                "/api/v1/registry/services/" + segment(service) + "/instances?index=" + index + "&wait="
                        + wait.toMillis() + "ms",
                null,
                wait);
        long next = response.headers().firstValueAsLong("X-Baton-Index").orElse(index);
        return new Listing(next, parse(response.body()));
    }

    private static List<RegisteredInstance> parse(JsonNode body) {
        List<RegisteredInstance> instances = new ArrayList<>();
        for (JsonNode node : body) {
            Map<String, String> metadata = new LinkedHashMap<>();
            node.path("metadata")
                    .properties()
                    .forEach(entry ->
                            metadata.put(entry.getKey(), entry.getValue().asString()));
            instances.add(new RegisteredInstance(
                    node.path("service").asString(),
                    node.path("instanceId").asString(),
                    node.path("host").asString(),
                    node.path("port").asInt(),
                    node.path("secure").asBoolean(),
                    node.path("zone").isNull() || node.path("zone").isMissingNode()
                            ? null
                            : node.path("zone").asString(),
                    node.path("weight").asInt(1),
                    metadata));
        }
        return instances;
    }

    /** The names of the services that have instances. */
    public List<String> services() {
        List<String> names = new ArrayList<>();
        send("GET", "/api/v1/registry/services", null, Duration.ZERO)
                .body()
                .path("services")
                .forEach(service -> names.add(service.path("name").asString()));
        return names;
    }

    private static String instancePath(String service, String instanceId) {
        return "/api/v1/registry/services/" + segment(service) + "/instances/" + segment(instanceId);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private BatonHttp.Answer send(String method, String path, Object body, Duration wait) {
        return http.exchange(method, path, body, wait, false);
    }
}
