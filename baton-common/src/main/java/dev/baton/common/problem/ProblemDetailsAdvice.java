package dev.baton.common.problem;

import jakarta.validation.ConstraintViolationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Turns every exception a controller throws into an RFC 9457 problem: Spring MVC's own
 * exceptions keep their status, validation failures list the fields at fault, and anything
 * unexpected becomes a 500 whose detail carries an id to find in the log, never a stack trace.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Problems.FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> new Problems.FieldError(error.getField(), error.getDefaultMessage()))
                .toList();
        return handleExceptionInternal(
                ex,
                Problems.validation("The request body is invalid.", errors),
                headers,
                HttpStatus.BAD_REQUEST,
                request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Problems.FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(RequestErrors::fieldErrors)
                .toList();
        return handleExceptionInternal(
                ex, Problems.validation("The request is invalid.", errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = Causes.find(ex, BodyTooLargeException.class);
        if (tooLarge != null) {
            return handleExceptionInternal(
                    ex,
                    ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()),
                    headers,
                    HttpStatus.CONTENT_TOO_LARGE,
                    request);
        }
        JacksonException jackson = Causes.find(ex, JacksonException.class);
        ProblemDetail problem;
        ProblemDetail wrongType = RequestErrors.wrongType(jackson);
        if (wrongType != null) {
            problem = wrongType;
        } else {
            problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST, "The request body is missing or is not well-formed JSON.");
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException ex) {
        return ResponseEntity.badRequest().body(RequestErrors.constraintViolations(ex));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        return ResponseEntity.internalServerError().body(RequestErrors.incident(log, ex));
    }
}
