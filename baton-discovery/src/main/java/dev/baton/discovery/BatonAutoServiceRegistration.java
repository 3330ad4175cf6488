package dev.baton.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.context.ApplicationContext;

/**
 * Registers this application with Baton's registry once its web server listens, and deregisters
 * it on shutdown, as Spring Cloud's auto-registration does for Consul or Eureka.
 */
public class BatonAutoServiceRegistration extends AbstractAutoServiceRegistration<BatonServiceInstance> {

    private final BatonDiscoveryProperties properties;
    private volatile BatonServiceInstance registration;

    public BatonAutoServiceRegistration(
            ApplicationContext context,
            BatonServiceRegistry registry,
            AutoServiceRegistrationProperties autoRegistration,
            BatonDiscoveryProperties properties) {
        super(context, registry, autoRegistration);
        this.properties = properties;
    }

    @Override
    protected Object getConfiguration() {
        return properties;
    }

    @Override
    protected boolean isEnabled() {
        return properties.register();
    }

    @Override
    protected BatonServiceInstance getRegistration() {
        BatonServiceInstance current = registration;
        if (current == null) {
            current = describe();
            registration = current;
        }
        return current;
    }

    @Override
    protected BatonServiceInstance getManagementRegistration() {
        return null;
    }

    /** This application as it registers: configured values, else what the environment tells. */
    private BatonServiceInstance describe() {
        String service = properties.serviceName() != null
                ? properties.serviceName()
                : getEnvironment().getProperty("spring.application.name", "application");
        String host = properties.host() != null ? properties.host() : localAddress();
        int port = properties.port() != null ? properties.port() : getPort().get();
        String instanceId = properties.instanceId() != null
                ? properties.instanceId()
                : service + "-" + host.replace(':', '.') + "-" + port;
        return new BatonServiceInstance(new RegistryClient.RegisteredInstance(
                service,
                instanceId,
                host,
                port,
                properties.secure(),
                properties.zone(),
                properties.weight(),
                new LinkedHashMap<>(properties.metadata())));
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
