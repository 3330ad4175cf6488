package dev.baton.registry.keys;

/** The name is taken by another key. */
final class KeyNameTaken extends RuntimeException {
    KeyNameTaken(String name) {
        super("An API key named '" + name + "' exists already.", null, false, false);
    }
}
