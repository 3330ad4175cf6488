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
        return properties.isRegister();
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
        String service = properties.getServiceName() != null
                ? properties.getServiceName()
                : getEnvironment().getProperty("spring.application.name", "application");
        String host = properties.getHost() != null ? properties.getHost() : localAddress();
        int port =
                properties.getPort() != null ? properties.getPort() : getPort().get();
        String instanceId = properties.getInstanceId() != null
                ? properties.getInstanceId()
                : service + "-" + host.replace(':', '.') + "-" + port;
        return new BatonServiceInstance(new RegistryClient.RegisteredInstance(
                service,
                instanceId,
                host,
                port,
                properties.isSecure(),
                properties.getZone(),
                properties.getWeight(),
                new LinkedHashMap<>(properties.getMetadata())));
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
