package dev.baton.common.keys;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Whom the audit log believes about who sent a request ({@code baton.security.*}, beside the keys).
 *
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed when they are a request's peer:
 *        addresses, CIDRs and host names; none by default, so the audit log records the peer alone
 * @param trustedProxiesRefresh how often the host names among them are resolved again; 30 s by default
 */
@Validated
@ConfigurationProperties("baton.security")
public record TrustedProxyProperties(
        @DefaultValue List<@NotBlank String> trustedProxies,
        @DefaultValue("30s") Duration trustedProxiesRefresh) {}
