package dev.baton.discovery;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * An instance of a service in Baton's registry, as Spring Cloud sees it; also this application's
 * own registration. Its metadata carries {@code zone} and {@code weight} besides its own, as
 * Spring Cloud LoadBalancer's zone preference expects.
 */
public final class BatonServiceInstance implements Registration {

    private final RegistryClient.RegisteredInstance instance;
    private final Map<String, String> metadata;
    private final URI uri;

    public BatonServiceInstance(RegistryClient.RegisteredInstance instance) {
        this.instance = instance;
        Map<String, String> all = new LinkedHashMap<>(instance.metadata());
        if (instance.zone() != null) {
            all.put("zone", instance.zone());
        }
        all.put("weight", String.valueOf(instance.weight()));
        this.metadata = Collections.unmodifiableMap(all);
        this.uri = ServiceInstance.createUri(this);
    }

    /**
     * An instance's share of traffic relative to its peers, from its {@code weight} metadata: 1
     * when it has none or none that is a number, and at least 1.
     */
    public static int weightOf(ServiceInstance instance) {
        String weight = instance.getMetadata().get("weight");
        try {
            return weight == null ? 1 : Math.max(1, Integer.parseInt(weight));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The registry's view of it. */
    public RegistryClient.RegisteredInstance registered() {
        return instance;
    }

    @Override
    public String getInstanceId() {
        return instance.instanceId();
    }

    @Override
    public String getServiceId() {
        return instance.service();
    }

    @Override
    public String getHost() {
        return instance.host();
    }

    @Override
    public int getPort() {
        return instance.port();
    }

    @Override
    public boolean isSecure() {
        return instance.secure();
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return instance.service() + "/" + instance.instanceId() + " at " + getUri();
    }
}
