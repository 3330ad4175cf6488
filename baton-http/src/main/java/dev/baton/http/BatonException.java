package dev.baton.http;

/**
 * A call to Baton's API that was answered with a problem, or could not be made at all: the one
 * exception type Baton's Java clients throw for their calls.
 */
public class BatonException extends RuntimeException {

    private final int status;
    private final String type;

    public BatonException(int status, String type, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
    }

    /** The HTTP status of the problem, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The problem's type, such as {@code urn:baton:problem:lease-lost}; null when no answer came. */
    public String type() {
        return type;
    }
}
