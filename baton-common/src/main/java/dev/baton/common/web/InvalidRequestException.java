package dev.baton.common.web;

import dev.baton.common.problem.Problems;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A request that breaks a rule that annotations cannot express; answered as a validation problem. */
public class InvalidRequestException extends ErrorResponseException {

    public InvalidRequestException(String field, String message) {
        super(
                HttpStatus.BAD_REQUEST,
                Problems.validation("The request is invalid.", List.of(new Problems.FieldError(field, message))),
                null);
    }
}
