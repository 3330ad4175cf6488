package dev.baton.common.problem;

import jakarta.validation.ConstraintViolationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The WebFlux counterpart of {@link ProblemDetailsAdvice}: every exception a controller throws,
 * and every error met before one runs (no such path, a method the path does not allow), becomes
 * an RFC 9457 problem with the same members, the same validation details and the same 413 for an
 * oversized body. Anything unexpected is a 500 whose detail carries an id to find in the log.
 */
@RestControllerAdvice
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ReactiveProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ReactiveProblemDetailsAdvice.class);

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<Problems.FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> new Problems.FieldError(error.getField(), error.getDefaultMessage()))
                .toList();
        return handleExceptionInternal(
                ex,
                Problems.validation("The request body is invalid.", errors),
                headers,
                HttpStatus.BAD_REQUEST,
                exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            ServerWebExchange exchange) {
        List<Problems.FieldError> errors = ex.getParameterValidationResults().stream()
                .flatMap(RequestErrors::fieldErrors)
                .toList();
        return handleExceptionInternal(
                ex, Problems.validation("The request is invalid.", errors), headers, HttpStatus.BAD_REQUEST, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        DataBufferLimitException tooLarge = Causes.find(ex, DataBufferLimitException.class);
        if (tooLarge != null) {
            return handleExceptionInternal(
                    ex,
                    ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, "The request body is too large."),
                    headers,
                    HttpStatus.CONTENT_TOO_LARGE,
                    exchange);
        }
        JacksonException jackson = Causes.find(ex, JacksonException.class);
        ProblemDetail problem;
        ProblemDetail wrongType = RequestErrors.wrongType(jackson);
        if (wrongType != null) {
            problem = wrongType;
        } else if (jackson != null
                || Causes.find(ex, DecodingException.class) != null
                || ex.getMethodParameter() != null
                        && ex.getMethodParameter()
                                .hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)) {
            problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.BAD_REQUEST, "The request body is missing or is not well-formed JSON.");
        } else {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getReason());
        }
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, exchange);
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
