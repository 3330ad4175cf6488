package dev.baton.common.text;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/** A JSON string, or member name, in a request body that PostgreSQL could not store as sent. */
public class UnstorableTextException extends MismatchedInputException {

    private final String reason;

    UnstorableTextException(JsonParser parser, String reason) {
        super(parser, "The value " + reason + ".");
        this.reason = reason;
    }

    /** What is wrong with the value, as a phrase that follows its field's name. */
    public String reason() {
        return reason;
    }
}
