package dev.baton.spring.boot.config;

import java.util.Objects;
import org.springframework.boot.context.config.ConfigDataResource;

/** The namespaces {@code spring.config.import=baton:} loads for this application and its profiles. */
final class BatonConfigDataResource extends ConfigDataResource {

    private final ImportedConfig imported;
    private final boolean optional;

    BatonConfigDataResource(ImportedConfig imported, boolean optional) {
        super(optional);
        this.imported = imported;
        this.optional = optional;
    }

    ImportedConfig imported() {
        return imported;
    }

    /** Whether the application starts, and a refresh keeps what it has, when Baton cannot be read. */
    boolean optional() {
        return optional;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BatonConfigDataResource resource
                && resource.optional == optional
                && resource.imported
                        .properties()
                        .url()
                        .equals(imported.properties().url())
                && resource.imported.namespaces().equals(imported.namespaces());
    }

    @Override
    public int hashCode() {
        return Objects.hash(imported.properties().url(), imported.namespaces(), optional);
    }

    /** Names Baton and the namespaces, never the key. */
    @Override
    public String toString() {
        return "baton:" + imported.namespaces() + " at " + imported.properties().url();
    }
}
