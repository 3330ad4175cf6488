package dev.baton.gateway.keys;

import dev.baton.common.security.ApiAccessRules;
import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ApiKeys;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Role;
import dev.baton.common.security.Scopes;
import dev.baton.http.Backoff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows the registry's key feed ({@code GET /api/v1/keys/feed}, a blocking query) and hands
 * every key created at runtime to the gateway's {@link ApiKeys}, so that the gateway refuses a
 * revoked key as the services do, within moments. The gateway keeps no state of its own
 * (docs/adr/0004): while the registry cannot be reached it keeps the keys it last read, and the
 * services, which hear of changes from the database, still refuse a key revoked meanwhile.
 */
final class KeyFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyFeed.class);
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final URI feed;
    private final String apiKey;
    private final ApiKeys keys;
    private final JsonMapper json;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean running;
    private Thread follower;

    public KeyFeed(String registryUrl, String apiKey, ApiKeys keys, JsonMapper json) {
        this.feed = URI.create(registryUrl.replaceAll("/+$", "") + ApiAccessRules.KEY_FEED);
        this.apiKey = apiKey;
        this.keys = keys;
        this.json = json;
    }

    private void follow() {
        Long index = null;
        int failures = 0;
        while (running) {
            try {
                URI uri =
                        index == null ? feed : URI.create(feed + "?index=" + index + "&wait=" + WAIT.toSeconds() + "s");
                HttpResponse<byte[]> response = http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + apiKey)
                                .timeout(WAIT.plusSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("the registry answered " + response.statusCode() + " "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
                JsonNode view = json.readTree(response.body());
                keys.replaceRuntimeKeys(read(view.path("keys")));
                if (failures > 0) {
                    log.info("Following the registry's key feed again");
                }
                index = view.path("index").asLong();
                failures = 0;
            } catch (IOException | RuntimeException e) {
                long wait = RETRY.delayMillis(++failures);
                if (failures == 1 || failures % 10 == 0) {
                    log.warn(
                            "Cannot follow the registry's key feed at {} ({}); keeping the keys last read, "
                                    + "trying again in {} ms",
                            feed,
                            e.getMessage(),
                            wait);
                }
                pause(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Map<String, ApiKeyPrincipal> read(JsonNode list) {
        Map<String, ApiKeyPrincipal> byDigest = new HashMap<>();
        for (JsonNode key : list) {
            List<Role> roles = new ArrayList<>();
            key.path("roles").forEach(role -> roles.add(Role.valueOf(role.asString())));
            Scopes scopes = Scopes.ALL;
            if (key.path("scopes").isObject()) {
                Map<ResourceKind, List<String>> prefixes = new EnumMap<>(ResourceKind.class);
                for (Map.Entry<String, JsonNode> field : key.path("scopes").properties()) {
                    ResourceKind kind = ResourceKind.of(field.getKey());
                    if (kind != null) {
                        List<String> names = new ArrayList<>();
                        field.getValue().forEach(name -> names.add(name.asString()));
                        prefixes.put(kind, names);
                    }
                }
                scopes = Scopes.of(prefixes);
            }
            String expiresAt =
                    key.path("expiresAt").isString() ? key.path("expiresAt").asString() : null;
            byDigest.put(
                    key.path("sha256").asString(),
                    new ApiKeyPrincipal(
                            key.path("name").asString(),
                            ApiKeys.withImplied(roles),
                            scopes,
                            UUID.fromString(key.path("id").asString()),
                            expiresAt == null ? null : Instant.parse(expiresAt)));
        }
        return byDigest;
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void start() {
        running = true;
        follower = new Thread(this::follow, "key-feed");
        follower.setDaemon(true);
        follower.start();
    }

    @Override
    public void stop() {
        running = false;
        follower.interrupt();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
