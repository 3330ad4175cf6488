package dev.baton.client.worker;

import dev.baton.signing.CallSignature;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How this application serves Baton's tasks and reports on them ({@code baton.worker.*}).
 *
 * @param path where the tasks are served, each at {@code POST {path}/{name}}; {@code /baton/tasks} by default
 * @param schedulerUrl the scheduler's (or the gateway's) base URL, where completions and heartbeats go;
 *        {@code baton.discovery.url} when not set
 * @param apiKey the key those calls carry, with the WRITE role; {@code baton.discovery.api-key} when not set
 * @param heartbeatInterval how often a task that completes later heartbeats its execution; 5 s by default
 * @param signingSecrets the secrets the scheduler signs its calls to this service with, each at least 32
 *        characters: one, or two while it is rotated; required when the application has tasks
 * @param maxBodySize the largest body a task call may have; a larger one is refused with 413 before it is read
 *        or its signature checked, so no caller makes the application hold more; 1 MB by default
 */
@ConfigurationProperties("baton.worker")
public record BatonWorkerProperties(
        String path,
        String schedulerUrl,
        String apiKey,
        Duration heartbeatInterval,
        List<String> signingSecrets,
        @DefaultValue("1MB") DataSize maxBodySize) {

    public BatonWorkerProperties {
        path = path == null ? "/baton/tasks" : path;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("baton.worker.path must start with '/': " + path);
        }
        path = path.replaceAll("/+$", "");
        heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(5) : heartbeatInterval;
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException(
                    "baton.worker.heartbeat-interval must be positive: " + heartbeatInterval);
        }
        signingSecrets = signingSecrets == null ? List.of() : List.copyOf(signingSecrets);
        signingSecrets.forEach(secret -> CallSignature.requireSecret(secret, "Each of baton.worker.signing-secrets"));
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "baton.worker.max-body-size must be from 1 byte to under 2 GB: " + maxBodySize);
        }
    }
}
