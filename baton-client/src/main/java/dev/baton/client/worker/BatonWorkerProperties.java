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
 * @param path where the tasks are served, each at {@code POST {path}/{name}}
 * @param schedulerUrl the scheduler's (or the gateway's) base URL, where completions, heartbeats and log lines go;
 *        {@code baton.discovery.url} when not set
 * @param apiKey the key those calls carry, with the WRITE role; {@code baton.discovery.api-key} when not set
 * @param heartbeatInterval how often a task that completes later heartbeats its execution
 * @param signingSecrets the secrets the scheduler signs its calls to this service with, each at least 32
 *        characters: one, or two while it is rotated; required when the application has tasks
 * @param maxBodySize the largest body a task call may have; a larger one is refused with 413 before it is read
 *        or its signature checked, so no caller makes the application hold more
 * @param logInterval how often the lines tasks log ({@link TaskContext#log}) are sent to the scheduler
 * @param logBuffer the most lines of one task's call that wait to be sent; more are dropped, and a line says how
 *        many
 */
@ConfigurationProperties("baton.worker")
public record BatonWorkerProperties(
        @DefaultValue("/baton/tasks") String path,
        String schedulerUrl,
        String apiKey,
        @DefaultValue("5s") Duration heartbeatInterval,
        @DefaultValue List<String> signingSecrets,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("1s") Duration logInterval,
        @DefaultValue("10000") int logBuffer) {

    /** Checks the settings itself: a worker application need not have Bean Validation. */
    public BatonWorkerProperties {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("baton.worker.path must start with '/': " + path);
        }
        path = path.replaceAll("/+$", "");
        requirePositive("heartbeat-interval", heartbeatInterval);
        requirePositive("log-interval", logInterval);
        if (logBuffer < 1) {
            throw new IllegalArgumentException("baton.worker.log-buffer must be positive: " + logBuffer);
        }
        signingSecrets = List.copyOf(signingSecrets);
        signingSecrets.forEach(secret -> CallSignature.requireSecret(secret, "Each of baton.worker.signing-secrets"));
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "baton.worker.max-body-size must be from 1 byte to under 2 GB: " + maxBodySize);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("baton.worker." + name + " must be positive: " + value);
        }
    }
}
