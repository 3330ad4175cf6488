package dev.baton.registry.config;

import java.util.Optional;

/** A key's current value and the index to wait from. */
record EntryRead(long index, Optional<ConfigEntry> entry) {}
