package dev.baton.common.security;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of named resource an API key's scopes name, as they are spelled in {@code scopes}. */
public enum ResourceKind {
    LOCKS("locks"),
    SEMAPHORES("semaphores"),
    ELECTIONS("elections"),
    SERVICES("services"),
    CONFIG("config"),
    JOBS("jobs"),
    WORKFLOWS("workflows");

    private final String key;

    ResourceKind(String key) {
        this.key = key;
    }

    /** The kind's name in {@code scopes}, in the API and in the audit log. */
    @JsonValue
    public String key() {
        return key;
    }

    /** The kind spelled {@code key}, or null. */
    public static ResourceKind of(String key) {
        for (ResourceKind kind : values()) {
            if (kind.key.equals(key)) {
                return kind;
            }
        }
        return null;
    }
}
