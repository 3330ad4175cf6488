package dev.baton.gateway.console;

import java.time.Instant;

/**
 * A signed-in console user, as the session cookie carries it.
 *
 * @param id a random id, which the session's CSRF token is derived from
 * @param key the API key the user signed in with, which every call of the console presents
 * @param signedInAt when the user signed in
 * @param seenAt the user's last request
 */
record ConsoleSession(String id, String key, Instant signedInAt, Instant seenAt) {

    ConsoleSession seen(Instant now) {
        return new ConsoleSession(id, key, signedInAt, now);
    }
}
