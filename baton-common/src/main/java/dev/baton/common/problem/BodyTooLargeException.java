package dev.baton.common.problem;

import java.io.IOException;

/** Thrown by a request body stream read past the service's size limit; answered 413. */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes.");
    }
}
