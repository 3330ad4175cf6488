package dev.baton.common.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Baton's RFC 9457 problem types. A problem that is nothing more than its HTTP status keeps
 * {@code about:blank}; the others are listed in {@code docs/problems.md}.
 */
public final class Problems {

    /** A request that broke one or more rules; the {@code errors} property lists them. */
    public static final URI VALIDATION = URI.create("urn:baton:problem:validation");

    private Problems() {}

    /**
     * One broken rule of a request.
     *
     * @param field the field, parameter or header at fault
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {}

    public static ProblemDetail validation(String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(VALIDATION);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }

    /** The JSON members of a problem, for code that writes a response without Spring's converters. */
    public static Map<String, Object> members(HttpStatus status, String detail, String instance) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", "about:blank");
        members.put("title", status.getReasonPhrase());
        members.put("status", status.value());
        members.put("detail", detail);
        if (instance != null) {
            members.put("instance", instance);
        }
        return members;
    }

    /** The JSON members of a problem built with Spring's {@link ProblemDetail}, with its properties. */
    public static Map<String, Object> members(ProblemDetail problem, String instance) {
        HttpStatus status = HttpStatus.valueOf(problem.getStatus());
        Map<String, Object> members = members(status, problem.getDetail(), instance);
        if (problem.getType() != null) {
            members.put("type", problem.getType().toString());
        }
        if (problem.getTitle() != null) {
            members.put("title", problem.getTitle());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }
}
