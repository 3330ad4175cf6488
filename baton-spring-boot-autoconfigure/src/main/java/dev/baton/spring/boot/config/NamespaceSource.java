package dev.baton.spring.boot.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySources;

/** One namespace of Baton's config center as a property source, {@code baton:<namespace>}, with the index it was read at. */
final class NamespaceSource extends MapPropertySource {

    private static final String PREFIX = "baton:";

    private final String namespace;
    private final long index;

    NamespaceSource(String namespace, long index, Map<String, String> values) {
        super(name(namespace), Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        this.namespace = namespace;
        this.index = index;
    }

    /** The property source's name for a namespace. */
    static String name(String namespace) {
        return PREFIX + namespace;
    }

    /** The index at which {@code sources} hold a namespace, 0 when they do not hold it. */
    static long indexIn(PropertySources sources, String namespace) {
        return sources.get(name(namespace)) instanceof NamespaceSource source ? source.index : 0;
    }

    String namespace() {
        return namespace;
    }

    long index() {
        return index;
    }
}
