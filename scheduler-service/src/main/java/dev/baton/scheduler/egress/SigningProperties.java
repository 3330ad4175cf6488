package dev.baton.scheduler.egress;

import dev.baton.signing.CallSignature;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The secrets the scheduler signs its calls to workers with ({@code baton.scheduler.signing.*}),
 * each at least 32 characters.
 *
 * @param secrets a secret per worker service, by the name a job's {@code target.service} gives, or
 *        by the host of a job's {@code target.url}; a worker holding its own cannot sign calls to the others
 * @param defaultSecret the secret of every target without one of its own; none by default
 */
@Validated
@ConfigurationProperties("baton.scheduler.signing")
public record SigningProperties(
        @DefaultValue Map<String, @Size(min = CallSignature.MIN_SECRET_LENGTH, message = SECRET_LENGTH) String> secrets,

        @Size(min = CallSignature.MIN_SECRET_LENGTH, message = SECRET_LENGTH)
        String defaultSecret) {

    private static final String SECRET_LENGTH =
            "must be at least " + CallSignature.MIN_SECRET_LENGTH + " characters long";

    /** The secret calls to this service (or URL host) are signed with, if there is one. */
    public Optional<String> secretFor(String target) {
        return Optional.ofNullable(secrets.getOrDefault(target, defaultSecret));
    }
}
