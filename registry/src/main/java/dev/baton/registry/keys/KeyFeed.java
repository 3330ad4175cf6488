package dev.baton.registry.keys;

import java.util.List;

/** Every key with the index of the keys they are, for the gateway. */
record KeyFeed(long index, List<Key> keys) {}
