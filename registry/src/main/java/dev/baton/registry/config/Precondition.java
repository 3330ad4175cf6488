package dev.baton.registry.config;

/**
 * What a write expects of the key's current version.
 *
 * @param version the version it must have, or null
 * @param absent whether the key must not exist
 * @param present whether the key must exist, whatever its version
 */
record Precondition(Long version, boolean absent, boolean present) {

    boolean allows(Long current) {
        if (absent) {
            return current == null;
        }
        if (present && current == null) {
            return false;
        }
        return version == null || version.equals(current);
    }
}
