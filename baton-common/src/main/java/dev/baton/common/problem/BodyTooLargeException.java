package dev.baton.common.problem;

import java.io.IOException;

/** Thrown by a request body stream read past the service's size limit; answered 413. */
public class BodyTooLargeException extends IOException {

    public BodyTooLargeException(long limit) {
        super(detail(limit));
    }

    /** What the 413 problem of a body over {@code limit} bytes says, on either web stack. */
    public static String detail(long limit) {
        return "The request body is larger than " + limit + " bytes.";
    }
}
