package dev.baton.registry.config;

import java.util.List;

/** A namespace's keys and its index. */
record NamespaceRead(long index, List<ConfigEntry> entries) {}
