package dev.baton.common.problem;

import dev.baton.common.text.UnstorableTextException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import tools.jackson.core.JacksonException;

/**
 * What both web stacks' problem advices say about a broken request: the fields at fault, named
 * as the client sent them, and the incident of an unexpected error.
 */
public final class RequestErrors {

    private RequestErrors() {}

    /** A request body's errors name its fields; a path variable's or parameter's errors name the parameter. */
    static Stream<Problems.FieldError> fieldErrors(ParameterValidationResult result) {
        if (result instanceof ParameterErrors body) {
            return body.getFieldErrors().stream()
                    .map(error -> new Problems.FieldError(error.getField(), error.getDefaultMessage()));
        }
        String name = result.getMethodParameter().getParameterName();
        String parameter =
                name == null ? "parameter " + result.getMethodParameter().getParameterIndex() : name;
        return result.getResolvableErrors().stream()
                .map(error -> new Problems.FieldError(parameter, error.getDefaultMessage()));
    }

    /** Bean validation of method parameters, each violation named by its last path node. */
    static ProblemDetail constraintViolations(ConstraintViolationException ex) {
        return constraintViolations(ex.getConstraintViolations(), "The request is invalid.");
    }

    /** Violations of a request's rules, each named by its last path node. */
    public static ProblemDetail constraintViolations(Set<? extends ConstraintViolation<?>> violations, String detail) {
        List<Problems.FieldError> errors = violations.stream()
                .map(violation -> new Problems.FieldError(
                        lastNode(violation.getPropertyPath().toString()), violation.getMessage()))
                .toList();
        return Problems.validation(detail, errors);
    }

    /**
     * A body value of the wrong type or format: a problem naming its JSON path, or null when the
     * parser could not tell where.
     */
    static ProblemDetail wrongType(JacksonException jackson) {
        if (jackson == null || jackson.getPath().isEmpty()) {
            return null;
        }
        if (jackson instanceof UnstorableTextException text) {
            return Problems.validation(
                    "The request body has text that cannot be stored as sent.",
                    List.of(new Problems.FieldError(jsonPath(jackson), text.reason())));
        }
        return Problems.validation(
                "The request body has a value of the wrong type or format.",
                List.of(new Problems.FieldError(jsonPath(jackson), "has a wrong type or an unknown value")));
    }

    /** A JSON request body that could not be read: the value at fault, or that it is not well-formed. */
    public static ProblemDetail unreadableBody(JacksonException jackson) {
        ProblemDetail wrongType = wrongType(jackson);
        return wrongType != null
                ? wrongType
                : ProblemDetail.forStatusAndDetail(
                        HttpStatus.BAD_REQUEST, "The request body is missing or is not well-formed JSON.");
    }

    /** An error nobody expected: logged with an incident id, which the 500 problem names, never a stack trace. */
    public static ProblemDetail incident(Logger log, Throwable ex) {
        String incident = UUID.randomUUID().toString();
        log.error("Unexpected error, incident {}", incident, ex);
        return ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected error; the service log has incident " + incident + ".");
    }

    private static String jsonPath(JacksonException ex) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : ex.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }
}
