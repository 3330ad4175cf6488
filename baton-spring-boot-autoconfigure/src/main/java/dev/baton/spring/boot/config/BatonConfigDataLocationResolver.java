package dev.baton.spring.boot.config;

import dev.baton.spring.boot.BatonProperties;
import java.util.List;
import org.apache.commons.logging.Log;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.Profiles;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;

/**
 * Resolves {@code spring.config.import=baton:} (or {@code optional:baton:}) to the namespaces of
 * Baton's config center that the registry's Config Server endpoint reads for this application
 * ({@code spring.application.name}) and its profiles, at {@code baton.url} with {@code baton.api-key}.
 * The namespaces depend on the profiles, so the location resolves once they are known.
 */
public class BatonConfigDataLocationResolver implements ConfigDataLocationResolver<BatonConfigDataResource> {

    static final String PREFIX = "baton:";

    private final Log log;

    public BatonConfigDataLocationResolver(DeferredLogFactory logs) {
        this.log = logs.getLog(BatonConfigDataLocationResolver.class);
    }

    @Override
    public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        return location.hasPrefix(PREFIX);
    }

    @Override
    public List<BatonConfigDataResource> resolve(
            ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        return List.of();
    }

    @Override
    public List<BatonConfigDataResource> resolveProfileSpecific(
            ConfigDataLocationResolverContext context, ConfigDataLocation location, Profiles profiles) {
        if (!location.getNonPrefixedValue(PREFIX).isBlank()) {
            throw new IllegalStateException("spring.config.import=" + location
                    + " names an address; write baton: alone, and set where Baton is in baton.url");
        }
        Binder binder = context.getBinder();
        BatonProperties properties = binder.bindOrCreate("baton", Bindable.of(BatonProperties.class));
        if (properties.url() == null || properties.url().isBlank()) {
            if (location.isOptional()) {
                log.info("spring.config.import=" + location + " is skipped: baton.url is not set");
                return List.of();
            }
            throw new IllegalStateException("spring.config.import=" + location
                    + " needs baton.url and baton.api-key: where Baton is, and a key that reads its configuration");
        }
        String application =
                binder.bind("spring.application.name", String.class).orElse(ImportedConfig.SHARED);
        return List.of(new BatonConfigDataResource(
                new ImportedConfig(properties, application, profiles.getAccepted()), location.isOptional()));
    }
}
