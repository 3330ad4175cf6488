package dev.baton.spring.boot.config;

import dev.baton.spring.boot.BatonProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code spring.config.import=baton:} imports: where Baton is, the namespaces this
 * application and its profiles read, first wins. Immutable.
 */
final class ImportedConfig {

    /** The namespace every application reads, as Config Server's {@code application} files. */
    static final String SHARED = "application";

    /** The bean that holds an application's import, for its watch. */
    static final String BEAN = "batonImportedConfig";

    private final BatonProperties properties;
    private final String application;
    private final List<String> namespaces;

    ImportedConfig(BatonProperties properties, String application, List<String> profiles) {
        this.properties = properties;
        this.application = application;
        this.namespaces = namespaces(application, profiles);
    }

    /**
     * The namespaces for an application and its profiles, first wins, as the registry's Config
     * Server endpoint reads them: for profiles {@code p1,p2}, {@code app-p2}, {@code application-p2},
     * {@code app-p1}, {@code application-p1}, {@code app} and {@code application}.
     */
    static List<String> namespaces(String application, List<String> profiles) {
        List<String> owners = application.equals(SHARED) ? List.of(SHARED) : List.of(application, SHARED);
        List<String> names = new ArrayList<>();
        for (int p = profiles.size() - 1; p >= 0; p--) {
            for (String owner : owners) {
                addOnce(names, owner + "-" + profiles.get(p));
            }
        }
        owners.forEach(owner -> addOnce(names, owner));
        return List.copyOf(names);
    }

    private static void addOnce(List<String> names, String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }

    BatonProperties properties() {
        return properties;
    }

    /** The namespaces, first wins. */
    List<String> namespaces() {
        return namespaces;
    }

    /** Whether a namespace belongs to a profile rather than to every profile of the application. */
    boolean profileSpecific(String namespace) {
        return !namespace.equals(application) && !namespace.equals(SHARED);
    }
}
