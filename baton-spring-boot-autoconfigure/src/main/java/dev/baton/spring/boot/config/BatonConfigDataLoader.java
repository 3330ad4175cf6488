package dev.baton.spring.boot.config;

import dev.baton.http.BatonException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.logging.Log;
import org.springframework.boot.bootstrap.BootstrapRegistry;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigData.Option;
import org.springframework.boot.context.config.ConfigData.Options;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.PropertySource;

/**
 * Loads the namespaces of a {@code baton:} import from Baton's config center, each as a
 * {@link NamespaceSource}, with the precedence of the registry's Config Server endpoint. Every
 * namespace gets a source, an empty one too, so that a refresh replaces each source the last load
 * made, and a key deleted from Baton leaves the application. Values from Baton import nothing
 * further and activate no profile.
 *
 * <p>When Baton cannot be read, a required import stops the application naming Baton's URL and
 * the cause; an optional one loads nothing, so the application starts on its own configuration,
 * and a refresh (Spring Cloud's, where the application has it) keeps what the application has.
 */
public class BatonConfigDataLoader implements ConfigDataLoader<BatonConfigDataResource> {

    private static final Options SHARED_OPTIONS = Options.of(Option.IGNORE_IMPORTS, Option.IGNORE_PROFILES);
    private static final Options PROFILE_OPTIONS = SHARED_OPTIONS.with(Option.PROFILE_SPECIFIC);

    private final Log log;

    public BatonConfigDataLoader(DeferredLogFactory logs) {
        this.log = logs.getLog(BatonConfigDataLoader.class);
    }

    @Override
    public ConfigData load(ConfigDataLoaderContext context, BatonConfigDataResource resource) {
        ImportedConfig imported = resource.imported();
        offerToWatch(context.getBootstrapContext(), imported);
        ConfigCenter center =
                new ConfigCenter(imported.properties(), imported.properties().maxAttempts());
        List<String> namespaces = imported.namespaces();
        List<PropertySource<?>> sources = new ArrayList<>();
        try {
            // ConfigData takes its sources last wins.
            for (int i = namespaces.size() - 1; i >= 0; i--) {
                String namespace = namespaces.get(i);
                ConfigCenter.Snapshot snapshot = center.read(namespace);
                sources.add(new NamespaceSource(namespace, snapshot.index(), snapshot.values()));
            }
        } catch (BatonException e) {
            String failure = "Could not read the configuration of " + resource + ": " + e.getMessage();
            if (!resource.optional()) {
                throw new ConfigUnavailableException(
                        failure + ". The application needs it (spring.config.import=baton:); "
                                + "import optional:baton: to start without it.",
                        e);
            }
            log.warn(failure + "; going on without it (optional:baton:), and taking it once Baton answers");
            return new ConfigData(List.of());
        }
        return new ConfigData(
                sources,
                source -> imported.profileSpecific(((NamespaceSource) source).namespace())
                        ? PROFILE_OPTIONS
                        : SHARED_OPTIONS);
    }

    /**
     * Makes the import a bean of the application's context, {@link ImportedConfig#BEAN}, which
     * {@link BatonConfigWatchAutoConfiguration} watches; an optional import that could not be read
     * too, so that the application takes Baton's configuration once Baton answers. A refresh
     * imports again in a bootstrap context that is never closed, and adds no bean.
     */
    private static void offerToWatch(ConfigurableBootstrapContext bootstrap, ImportedConfig imported) {
        if (bootstrap.isRegistered(ImportedConfig.class)) {
            return;
        }
        bootstrap.register(ImportedConfig.class, BootstrapRegistry.InstanceSupplier.of(imported));
        bootstrap.addCloseListener(closed -> closed.getApplicationContext()
                .getBeanFactory()
                .registerSingleton(
                        ImportedConfig.BEAN, closed.getBootstrapContext().get(ImportedConfig.class)));
    }
}
