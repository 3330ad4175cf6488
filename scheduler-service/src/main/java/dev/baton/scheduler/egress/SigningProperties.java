package dev.baton.scheduler.egress;

import dev.baton.signing.CallSignature;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The secrets the scheduler signs its calls to workers with ({@code baton.scheduler.signing.*}),
 * each at least 32 characters.
 *
 * @param secrets a secret per worker service, by the name a job's {@code target.service} gives, or
 *        by the host of a job's {@code target.url}; a worker holding its own cannot sign calls to the others
 * @param defaultSecret the secret of every target without one of its own; none by default
 */
@ConfigurationProperties("baton.scheduler.signing")
public record SigningProperties(Map<String, String> secrets, String defaultSecret) {

    public SigningProperties {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        secrets.forEach(
                (name, secret) -> CallSignature.requireSecret(secret, "baton.scheduler.signing.secrets[" + name + "]"));
        if (defaultSecret != null) {
            CallSignature.requireSecret(defaultSecret, "baton.scheduler.signing.default-secret");
        }
    }

    /** The secret calls to this service (or URL host) are signed with, if there is one. */
    public Optional<String> secretFor(String target) {
        return Optional.ofNullable(secrets.getOrDefault(target, defaultSecret));
    }
}
