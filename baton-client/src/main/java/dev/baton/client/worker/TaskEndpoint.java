package dev.baton.client.worker;

import static dev.baton.signing.CallSignature.ATTEMPT;
import static dev.baton.signing.CallSignature.EXECUTION_ID;
import static dev.baton.signing.CallSignature.SCHEDULED_AT;
import static dev.baton.signing.CallSignature.SHARD_INDEX;
import static dev.baton.signing.CallSignature.SHARD_TOTAL;

import dev.baton.signing.CallSignature;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.InvocationTargetException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves {@code POST {path}/{name}}: refuses a body over {@code baton.worker.max-body-size} before
 * it reads more of it than that, admits only a call the scheduler signed, once per attempt
 * ({@link SignedCalls}), reads the execution from the {@code X-Baton-*} headers, binds
 * the body to the task's payload, calls the task on the request's thread and answers with its
 * result, with 202 when it completes later, or with a problem; a task that ended is answered once
 * the lines it logged are stored ({@link TaskLogs}). Thread-safe.
 */
final class TaskEndpoint implements HandlerFunction<ServerResponse> {

    private static final Logger log = LoggerFactory.getLogger(TaskEndpoint.class);

    private final SignedCalls signed;
    private final TaskMethods tasks;
    private final CompletionReporter reporter;
    private final TaskLogs logs;
    private final JsonMapper json;
    private final int maxBody;

    /** @param maxBody the most bytes a body may have */
    TaskEndpoint(
            SignedCalls signed,
            TaskMethods tasks,
            CompletionReporter reporter,
            TaskLogs logs,
            JsonMapper json,
            int maxBody) {
        this.signed = signed;
        this.tasks = tasks;
        this.reporter = reporter;
        this.logs = logs;
        this.json = json;
        this.maxBody = maxBody;
    }

    @Override
    public ServerResponse handle(ServerRequest request) throws Exception {
        HttpServletRequest servlet = request.servletRequest();
        if (servlet.getContentLengthLong() > maxBody) {
            return tooLarge(request);
        }
        byte[] body = servlet.getInputStream().readNBytes(maxBody + 1);
        if (body.length > maxBody) {
            return tooLarge(request);
        }
        long timestamp;
        try {
            timestamp = signed.verify(request, body);
        } catch (CallSignature.Refused e) {
            return problem(
                    request,
                    HttpStatus.UNAUTHORIZED,
                    "The call is not signed by Baton's scheduler: " + e.getMessage(),
                    null);
        }
        String name = request.pathVariable("name");
        List<Map<String, String>> errors = new ArrayList<>();
        Call call = call(name, request.headers(), errors);
        if (call == null) {
            return problem(request, HttpStatus.BAD_REQUEST, "The X-Baton-* headers do not name an execution", errors);
        }
        TaskContext context = call.context();
        if (!signed.firstDelivery(context, timestamp)) {
            return problem(
                    request,
                    HttpStatus.UNAUTHORIZED,
                    "Attempt " + context.attempt() + " of execution "
                            + context.executionId() + " (shard " + context.shardIndex() + ") was delivered before: "
                            + "a replayed call is refused",
                    null);
        }
        TaskMethod task = tasks.find(name);
        if (task == null) {
            return problem(request, HttpStatus.NOT_FOUND, "This application has no task named '" + name + "'", null);
        }
        Object payload = null;
        if (task.takesPayload()) {
            JavaType type = json.constructType(task.payloadType());
            try {
                payload = body.length == 0 ? null : json.readValue(body, type);
            } catch (JacksonException e) {
                return problem(
                        request,
                        HttpStatus.BAD_REQUEST,
                        "The body is not a valid " + type.toCanonical() + ": " + e.getOriginalMessage(),
                        null);
            }
        }
        Object result;
        try {
            result = task.invoke(payload, context);
        } catch (InvocationTargetException e) {
            awaitLines(call.log());
            log.warn(
                    "Task '{}' failed on attempt {} of execution {}",
                    name,
                    context.attempt(),
                    context.executionId(),
                    e.getCause());
            return problem(request, HttpStatus.INTERNAL_SERVER_ERROR, CompletionReporter.describe(e.getCause()), null);
        }
        if (task.completesLater()) {
            if (result == null) {
                awaitLines(call.log());
                return problem(
                        request,
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "Task '" + name + "' returned null instead of a CompletionStage",
                        null);
            }
            reporter.follow(name, context, call.log(), (CompletionStage<?>) result);
            return ServerResponse.accepted().build();
        }
        awaitLines(call.log());
        if (result == null) {
            return ServerResponse.ok().build();
        }
        byte[] answer;
        try {
            answer = json.writeValueAsBytes(result);
        } catch (JacksonException e) {
            log.warn("Task '{}' returned a result that cannot be written as JSON", name, e);
            return problem(
                    request,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "The result cannot be written as JSON: " + e.getOriginalMessage(),
                    null);
        }
        return write(HttpStatus.OK, MediaType.APPLICATION_JSON, answer);
    }

    /** A body over the limit, refused before its signature is checked: that needs the whole body. */
    private ServerResponse tooLarge(ServerRequest request) {
        return problem(
                request,
                HttpStatus.CONTENT_TOO_LARGE,
                "The body is larger than this worker takes (baton.worker.max-body-size, " + maxBody + " bytes)",
                null);
    }

    /** A call of a task: the execution it runs, and the log of its attempt. */
    private record Call(TaskContext context, TaskLogs.AttemptLog log) {}

    /** Waits, a bounded time, until the lines the task logged are stored: a task's log is whole by its end. */
    private static void awaitLines(TaskLogs.AttemptLog log) {
        try {
            log.finish().get();
        } catch (ExecutionException e) {
            TaskEndpoint.log.debug("The last lines of {} were not sent", log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The call the headers name, or null with {@code errors} saying what is wrong with them. */
    private Call call(String task, ServerRequest.Headers headers, List<Map<String, String>> errors) {
        Long executionId = number(headers, EXECUTION_ID, Long.MIN_VALUE, Long.MAX_VALUE, "a decimal long", errors);
        Long attempt = number(headers, ATTEMPT, 1, Integer.MAX_VALUE, "an integer from 1", errors);
        Long shardIndex = number(headers, SHARD_INDEX, 0, Integer.MAX_VALUE, "an integer from 0", errors);
        Long shardTotal = number(headers, SHARD_TOTAL, 1, Integer.MAX_VALUE, "an integer from 1", errors);
        Instant scheduledAt = null;
        String scheduled = headers.firstHeader(SCHEDULED_AT);
        if (scheduled == null || scheduled.isBlank()) {
            errors.add(error(SCHEDULED_AT, "is missing"));
        } else {
            try {
                scheduledAt = OffsetDateTime.parse(scheduled.trim()).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(error(SCHEDULED_AT, "must be an RFC 3339 instant, not '" + scheduled + "'"));
            }
        }
        if (shardIndex != null && shardTotal != null && shardIndex >= shardTotal) {
            errors.add(error(SHARD_INDEX, "must be less than " + SHARD_TOTAL + " (" + shardTotal + ")"));
        }
        if (!errors.isEmpty()) {
            return null;
        }
        TaskLogs.AttemptLog log = logs.attempt(task, executionId, attempt.intValue(), shardIndex.intValue());
        return new Call(
                new TaskContext(
                        executionId,
                        attempt.intValue(),
                        shardIndex.intValue(),
                        shardTotal.intValue(),
                        scheduledAt,
                        log),
                log);
    }

    private static Long number(
            ServerRequest.Headers headers,
            String name,
            long min,
            long max,
            String rule,
            List<Map<String, String>> errors) {
        String value = headers.firstHeader(name);
        if (value == null || value.isBlank()) {
            errors.add(error(name, "is missing"));
            return null;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Told below, as for a number out of range.
        }
        errors.add(error(name, "must be " + rule + ", not '" + value + "'"));
        return null;
    }

    private static Map<String, String> error(String field, String message) {
        return Map.of("field", field, "message", message);
    }

    /** An RFC 9457 problem, as every Baton service answers; a validation problem when there are errors. */
    private ServerResponse problem(
            ServerRequest request, HttpStatus status, String detail, List<Map<String, String>> errors) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", errors == null ? "about:blank" : "urn:baton:problem:validation");
        members.put("title", errors == null ? status.getReasonPhrase() : "Invalid request");
        members.put("status", status.value());
        members.put("detail", detail);
        members.put("instance", request.path());
        if (errors != null) {
            members.put("errors", errors);
        }
        return write(status, MediaType.APPLICATION_PROBLEM_JSON, json.writeValueAsBytes(members));
    }

    /** Writes the JSON as it is, whatever message converters the application has. */
    private static ServerResponse write(HttpStatus status, MediaType type, byte[] body) {
        return ServerResponse.status(status).contentType(type).build((request, response) -> {
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return null;
        });
    }
}
