package dev.baton.client.lock;

import dev.baton.http.BatonException;

/** A lock that was not granted within the wait the request allowed. */
public class LockNotGrantedException extends BatonException {

    public LockNotGrantedException(BatonException answer) {
        super(answer.status(), answer.type(), answer.getMessage(), null);
    }
}
