package dev.baton.gateway.console;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A call of the console that the API refused or could not answer, with the problem it answered. */
final class ConsoleApiException extends RuntimeException {

    private final HttpStatus status;
    private final JsonNode problem;

    ConsoleApiException(HttpStatus status, JsonNode problem) {
        super(problem.path("title").asString(status.getReasonPhrase()) + ": "
                + problem.path("detail").asString(""));
        this.status = status;
        this.problem = problem;
    }

    static ConsoleApiException unreachable(String why) {
        ObjectNode problem = JsonNodeFactory.instance.objectNode();
        problem.put("title", "Service Unavailable");
        problem.put("status", 503);
        problem.put("detail", "The console could not reach Baton's API: " + why);
        return new ConsoleApiException(HttpStatus.SERVICE_UNAVAILABLE, problem);
    }

    HttpStatus status() {
        return status;
    }

    JsonNode problem() {
        return problem;
    }

    String title() {
        return problem.path("title").asString(status.getReasonPhrase());
    }

    String detail() {
        return problem.path("detail").asString("");
    }

    /** The problem as pages show it. */
    Shown shown() {
        return new Shown(title(), detail(), fieldErrors());
    }

    /**
     * A problem as a page shows it.
     *
     * @param title the problem's title
     * @param detail its detail
     * @param errors its field errors, by field
     */
    public record Shown(String title, String detail, Map<String, String> errors) {}

    /** The problem's field errors, by field: what a form shows next to each field. */
    Map<String, String> fieldErrors() {
        Map<String, String> errors = new LinkedHashMap<>();
        for (JsonNode error : problem.path("errors")) {
            errors.merge(error.path("field").asString(""), error.path("message").asString(""), (a, b) -> a + "; " + b);
        }
        return errors;
    }
}
