package dev.baton.registry.config;

/**
 * A namespace as listings show it.
 *
 * @param name its name
 * @param keys how many keys it holds now
 * @param modifyIndex its index at its last change
 */
record NamespaceSummary(String name, long keys, long modifyIndex) {}
