package dev.baton.discovery;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Baton's registry API over HTTP: register, heartbeat, deregister, list. Thread-safe. */
public class RegistryClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;

    public RegistryClient(String baseUrl, String apiKey, Duration timeout) {
        this.baseUrl = URI.create(
                Objects.requireNonNull(baseUrl, "baton.discovery.url").replaceAll("/+$", ""));
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Thrown when the registry cannot be reached or refuses a request. */
    public static class RegistryException extends RuntimeException {

        private final int status;

        RegistryException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status, or 0 when there was no answer. */
        public int status() {
            return status;
        }
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
        send("PUT", instancePath(instance.service(), instance.instanceId()), JSON.writeValueAsString(body));
    }

    /** Extends an instance's lease; false when the registry no longer knows it (register it again). */
    public boolean heartbeat(String service, String instanceId) {
        try {
            send("PUT", instancePath(service, instanceId) + "/heartbeat", null);
            return true;
        } catch (RegistryException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    public void deregister(String service, String instanceId) {
        send("DELETE", instancePath(service, instanceId), null);
    }

    /**
     * A service's healthy instances and the registry's index for them.
     *
     * @param index the index to pass to the next blocking query
     */
    public record Listing(long index, List<RegisteredInstance> instances) {}

    /** A service's healthy instances. */
    public List<RegisteredInstance> instances(String service) {
        return parse(send("GET", "/api/v1/registry/services/" + segment(service) + "/instances", null, timeout)
                .body());
    }

    /**
     * A blocking query: a service's healthy instances once they change past {@code index}, or
     * when {@code wait} passes.
     */
    public Listing watchInstances(String service, long index, Duration wait) {
        HttpResponse<String> response = send(
                "GET",
                "/api/v1/registry/services/" + segment(service) + "/instances?index=" + index + "&wait="
                        + wait.toMillis() + "ms",
                null,
                wait.plus(timeout));
        long next = response.headers().firstValueAsLong("X-Baton-Index").orElse(index);
        return new Listing(next, parse(response.body()));
    }

    private static List<RegisteredInstance> parse(String body) {
        List<RegisteredInstance> instances = new ArrayList<>();
        for (JsonNode node : JSON.readTree(body)) {
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
        JSON.readTree(send("GET", "/api/v1/registry/services", null))
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

    private String send(String method, String path, String json) {
        return send(method, path, json, timeout).body();
    }

    private HttpResponse<String> send(String method, String path, String json, Duration requestTimeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException(
                    0,
                    method + " " + path + " failed: "
                            + (e.getMessage() != null
                                    ? e.getMessage()
                                    : e.getClass().getSimpleName()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(0, method + " " + path + " was interrupted", e);
        }
        if (response.statusCode() >= 300) {
            throw new RegistryException(
                    response.statusCode(),
                    method + " " + path + " answered " + response.statusCode() + ": " + response.body(),
                    null);
        }
        return response;
    }
}
