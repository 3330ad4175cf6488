package dev.baton.common.security;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The names an API key may touch: for each {@link ResourceKind}, the prefixes of those names. A
 * kind absent from a key's scopes is out of its reach; a key without scopes ({@link #ALL})
 * reaches every name. Immutable.
 */
public final class Scopes {

    /** No restriction: every name of every kind. */
    public static final Scopes ALL = new Scopes(null);

    private final Map<ResourceKind, List<String>> prefixes;

    private Scopes(Map<ResourceKind, List<String>> prefixes) {
        this.prefixes = prefixes;
    }

    /** The scopes of {@code prefixes}, or {@link #ALL} when it is null. */
    public static Scopes of(Map<ResourceKind, List<String>> prefixes) {
        if (prefixes == null) {
            return ALL;
        }
        Map<ResourceKind, List<String>> copy = new EnumMap<>(ResourceKind.class);
        prefixes.forEach((kind, names) -> copy.put(kind, List.copyOf(names)));
        return new Scopes(Map.copyOf(copy));
    }

    /** Whether these are restricted at all. */
    public boolean restricted() {
        return prefixes != null;
    }

    /** The prefixes per kind, by the kind's name in {@code scopes}, or null for {@link #ALL}. */
    public Map<String, List<String>> byKey() {
        if (prefixes == null) {
            return null;
        }
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        new EnumMap<>(prefixes).forEach((kind, names) -> byKey.put(kind.key(), names));
        return byKey;
    }

    /** Whether the name {@code name} of {@code kind} is in reach. */
    public boolean permits(ResourceKind kind, String name) {
        return prefixes == null || grants(kind, name);
    }

    /**
     * Whether {@code name} is named by an explicit scope of {@code kind}: unlike {@link #permits},
     * a key without scopes has none.
     */
    public boolean grants(ResourceKind kind, String name) {
        if (prefixes == null) {
            return false;
        }
        List<String> granted = prefixes.get(kind);
        if (granted == null) {
            return false;
        }
        for (String prefix : granted) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any name of {@code kind} is in reach. */
    public boolean reaches(ResourceKind kind) {
        return prefixes == null || prefixes.containsKey(kind);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Scopes scopes && Objects.equals(prefixes, scopes.prefixes);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(prefixes);
    }

    @Override
    public String toString() {
        return prefixes == null ? "all" : prefixes.toString();
    }
}
