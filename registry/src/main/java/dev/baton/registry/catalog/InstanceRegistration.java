package dev.baton.registry.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * What an instance registers.
 *
 * @param host a host name or IP address that other services can reach
 * @param port its port
 * @param secure whether it answers over TLS (default false)
 * @param zone its zone or availability zone, if any
 * @param weight its share of traffic relative to its peers, 1 to 1000 (default 1)
 * @param metadata free key/values, such as a version or a management port
 * @param ttlMs how long its lease lives without a heartbeat (default 15000)
 */
record InstanceRegistration(
        @NotBlank @Size(max = 253) @Pattern(regexp = "[A-Za-z0-9._:\\[\\]%-]+")
        String host,

        @Min(1) @Max(65535) int port,
        Boolean secure,

        @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._:/-]*")
        String zone,

        @Min(1) @Max(1000) Integer weight,
        @Size(max = 64) Map<@NotBlank @Size(max = 128) String, @NotNull @Size(max = 1024) String> metadata,
        @Min(1000) @Max(3_600_000) Long ttlMs) {}
