package dev.baton.common.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The API keys a service accepts from configuration (the bootstrap keys), beside those created
 * through {@code /api/v1/keys}. Only the SHA-256 of each key is configured, never the key itself.
 *
 * @param apiKeys the accepted keys; with none configured and none created every protected request is refused
 */
@Validated
@ConfigurationProperties("baton.security")
public record ApiKeyProperties(@DefaultValue @Valid List<Key> apiKeys) {

    /**
     * One accepted key.
     *
     * @param name who holds the key, as logs, {@code whoami} and the audit log show it
     * @param sha256 lowercase hex SHA-256 of the key, as {@code printf %s "$KEY" | sha256sum} prints it
     * @param roles what the key may do; higher roles include lower ones
     * @param scopes per resource kind, the name prefixes the key may touch; none: every name
     */
    public record Key(
            @NotBlank String name,

            @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lowercase hex digits")
            String sha256,

            @NotEmpty Set<Role> roles,
            Map<ResourceKind, List<String>> scopes) {}
}
