package dev.baton.discovery;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Baton's registry is and how this application registers with it
 * ({@code baton.discovery.*}; as environment variables {@code BATON_DISCOVERY_URL} and so on).
 * Nothing is configured until {@code url} is set.
 */
@ConfigurationProperties("baton.discovery")
public class BatonDiscoveryProperties {

    /** The registry's base URL, or the gateway's, such as {@code http://baton-gateway:8080}. */
    private String url;

    /** An API key with the WRITE role (READ is enough to discover without registering). */
    private String apiKey;

    /** Whether this application registers itself. */
    private boolean register = true;

    /** The name it registers under; {@code spring.application.name} when not set. */
    private String serviceName;

    /** Its instance id; {@code <service>-<host>-<port>} when not set. */
    private String instanceId;

    /** The host others reach it at; this machine's address when not set. */
    private String host;

    /** The port others reach it at; the web server's when not set. */
    private Integer port;

    /** Whether it answers over TLS. */
    private boolean secure;

    /** Its zone, for zone-aware balancing. */
    private String zone;

    /** Its share of traffic relative to its peers, 1 to 1000. */
    private int weight = 1;

    /** Free key/values registered with it. */
    private Map<String, String> metadata = new LinkedHashMap<>();

    /** Its lease: it is dropped from lists when no heartbeat arrives within it. */
    private Duration ttl = Duration.ofSeconds(15);

    /** How often it heartbeats: well within the TTL. */
    private Duration heartbeatInterval = Duration.ofSeconds(5);

    /** How long a request to the registry may take. */
    private Duration requestTimeout = Duration.ofSeconds(5);

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public boolean isRegister() {
        return register;
    }

    public void setRegister(boolean register) {
        this.register = register;
    }

    public String getServiceName() {
        return serviceName;
    }

    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public boolean isSecure() {
        return secure;
    }

    public void setSecure(boolean secure) {
        this.secure = secure;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public int getWeight() {
        return weight;
    }

    public void setWeight(int weight) {
        this.weight = weight;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }
}
