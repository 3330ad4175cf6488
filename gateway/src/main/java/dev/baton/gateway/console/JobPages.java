package dev.baton.gateway.console;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jobs: a list with schedule, next run and last status; a form to create and edit one that shows
 * the API's validation errors at their fields and previews a cron's next fire times in its zone;
 * pause, resume, trigger and delete; a job's executions and statistics, and one execution with
 * its attempts.
 */
@Controller
@RequestMapping(ConsoleFilter.ROOT + "/jobs")
class JobPages {

    /** The form's fields, named by their path in a job's JSON. */
    static final List<String> FIELDS = List.of(
            "name",
            "schedule.type",
            "schedule.cron",
            "schedule.zone",
            "schedule.intervalMs",
            "schedule.at",
            "target.service",
            "target.path",
            "target.method",
            "target.url",
            "target.body",
            "routing",
            "routingKey",
            "shards",
            "timeoutMs",
            "retry.maxAttempts",
            "retry.backoffMs",
            "retry.multiplier",
            "retry.maxBackoffMs",
            "misfire",
            "concurrency",
            "enabled");

    /** The fields whose values are whole numbers in a job's JSON. */
    private static final List<String> WHOLE_NUMBERS = List.of(
            "schedule.intervalMs", "shards", "timeoutMs", "retry.maxAttempts", "retry.backoffMs", "retry.maxBackoffMs");

    private static final int PREVIEWED = 5;
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private final ConsoleApi api;
    private final JsonMapper json = JsonMapper.builder().build();

    JobPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping
    Mono<String> list(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam(defaultValue = "") String cursor,
            Model model) {
        model.addAttribute("cursor", cursor);
        model.addAttribute("mayCreate", user.may("POST", "/api/v1/jobs"));
        return api.get(user, "/api/v1/jobs?limit=" + LeasePages.PAGE + "&cursor=" + ConsoleApi.query(cursor))
                .flatMap(page -> Flux.fromIterable(page.path("items"))
                        .concatMap(job -> api.get(
                                        user, "/api/v1/jobs/" + job.path("id").asString() + "/executions?limit=1")
                                .map(last -> new Listed(
                                        job,
                                        last.path("items")
                                                .path(0)
                                                .path("status")
                                                .asString("")))
                                .onErrorResume(ConsoleApiException.class, e -> Mono.just(new Listed(job, ""))))
                        .collectList()
                        .doOnNext(jobs -> {
                            model.addAttribute("jobs", jobs);
                            model.addAttribute("next", page.path("nextCursor").asString(null));
                        }))
                .thenReturn("console/jobs");
    }

    @GetMapping("/job")
    Mono<String> job(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String id, Model model) {
        return job(user, id, model, "console/job");
    }

    @GetMapping("/job/live")
    Mono<String> jobFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String id, Model model) {
        return job(user, id, model, "console/job :: live");
    }

    @GetMapping("/execution")
    Mono<String> execution(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String id, Model model) {
        return execution(user, id, model, "console/execution");
    }

    @GetMapping("/execution/view")
    Mono<String> executionFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String id, Model model) {
        return execution(user, id, model, "console/execution :: view");
    }

    /** A job with its statistics and executions, which follow its executions' blocking query. */
    private Mono<String> job(ConsoleUser user, String id, Model model, String view) {
        String path = "/api/v1/jobs/" + ConsoleApi.segment(id);
        model.addAttribute("mayChange", user.may("POST", path + "/trigger"));
        model.addAttribute("mayDelete", user.may("DELETE", path));
        model.addAttribute("watch", path + "/executions?limit=1");
        return Mono.zip(
                        api.get(user, path),
                        api.get(user, path + "/stats"),
                        api.get(user, path + "/executions?limit=" + LeasePages.PAGE))
                .doOnNext(all -> {
                    model.addAttribute("job", all.getT1());
                    model.addAttribute("stats", all.getT2());
                    model.addAttribute("executions", all.getT3().path("items"));
                })
                .thenReturn(view);
    }

    /** An execution with its attempts, which follows its job's executions' blocking query. */
    private Mono<String> execution(ConsoleUser user, String id, Model model, String view) {
        return api.get(user, "/api/v1/executions/" + ConsoleApi.segment(id))
                .doOnNext(execution -> {
                    model.addAttribute("execution", execution);
                    model.addAttribute(
                            "watch",
                            "/api/v1/jobs/"
                                    + ConsoleApi.segment(execution.path("jobId").asString()) + "/executions?limit=1");
                })
                .thenReturn(view);
    }

    /**
     * A trigger sent by htmx is answered 204: the page stays, and shows the new execution when its
     * job's executions move.
     */
    @PostMapping(path = "/action", params = "action=trigger", headers = "HX-Request")
    Mono<ResponseEntity<Void>> triggerInPlace(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String id) {
        return api.send(user, HttpMethod.POST, "/api/v1/jobs/" + ConsoleApi.segment(id) + "/trigger", null)
                .thenReturn(ResponseEntity.noContent().build());
    }

    /** Pause, resume or trigger (WRITE), or delete (ADMIN). */
    @PostMapping("/action")
    Mono<String> action(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam String id,
            @RequestParam String action) {
        String path = "/api/v1/jobs/" + ConsoleApi.segment(id);
        return switch (action) {
            case "pause", "resume", "trigger" ->
                api.send(user, HttpMethod.POST, path + "/" + action, null)
                        .thenReturn("redirect:" + ConsoleFilter.ROOT + "/jobs/job?id=" + ConsoleApi.query(id));
            case "delete" ->
                api.send(user, HttpMethod.DELETE, path, null).thenReturn("redirect:" + ConsoleFilter.ROOT + "/jobs");
            default ->
                Mono.error(new ConsoleApiException(
                        HttpStatus.BAD_REQUEST,
                        problem("Bad Request", "action must be pause, resume, trigger or delete")));
        };
    }

    @GetMapping("/edit")
    Mono<String> edit(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam(defaultValue = "") String id,
            Model model) {
        model.addAttribute("id", id);
        if (id.isEmpty()) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("schedule.type", "CRON");
            values.put("schedule.zone", "UTC");
            values.put("target.method", "POST");
            values.put("routing", "ROUND_ROBIN");
            values.put("enabled", "true");
            model.addAttribute("values", values);
            return Mono.just("console/job-form");
        }
        return api.get(user, "/api/v1/jobs/" + ConsoleApi.segment(id)).map(job -> {
            model.addAttribute("values", values(job));
            return "console/job-form";
        });
    }

    /** Creates or replaces the job; the API's refusal comes back as the form with each error at its field. */
    @PostMapping("/edit")
    Mono<String> save(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            String id = form.getFirst("id") == null ? "" : form.getFirst("id");
            Map<String, String> values = new LinkedHashMap<>();
            FIELDS.forEach(field -> values.put(field, first(form, field)));
            model.addAttribute("id", id);
            model.addAttribute("values", values);
            ObjectNode definition;
            try {
                definition = definition(values);
            } catch (IllegalArgumentException e) {
                model.addAttribute("errors", Map.of("target.body", e.getMessage()));
                return Mono.just("console/job-form");
            }
            Mono<ConsoleApi.Answer> sent = id.isEmpty()
                    ? api.send(user, HttpMethod.POST, "/api/v1/jobs", definition)
                    : api.send(user, HttpMethod.PUT, "/api/v1/jobs/" + ConsoleApi.segment(id), definition);
            return sent.map(answer -> "redirect:" + ConsoleFilter.ROOT + "/jobs/job?id="
                            + ConsoleApi.query(answer.body().path("id").asString()))
                    .onErrorResume(
                            ConsoleApiException.class,
                            e -> ConsolePages.refusedForm(e, exchange, model, Mono.just("console/job-form")));
        });
    }

    /** The next fire times of a cron expression in its zone, as the scheduler computes them. */
    @GetMapping("/preview")
    String preview(
            @RequestParam(name = "schedule.cron", defaultValue = "") String cron,
            @RequestParam(name = "schedule.zone", defaultValue = "UTC") String zone,
            Model model) {
        List<String> times = new ArrayList<>();
        try {
            ZoneId zoneId = ZoneId.of(zone.isBlank() ? "UTC" : zone);
            if (!cron.isBlank()) {
                CronExpression expression = CronExpression.parse(cron);
                ZonedDateTime at = ZonedDateTime.now(zoneId);
                for (int i = 0; i < PREVIEWED; i++) {
                    at = expression.next(at);
                    if (at == null) {
                        break;
                    }
                    times.add(SHOWN.format(at));
                }
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            model.addAttribute("previewError", e.getMessage());
        }
        model.addAttribute("fireTimes", times);
        return "console/job-form :: preview";
    }

    /** A job's definition as the form's fields. */
    static Map<String, String> values(JsonNode job) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : FIELDS) {
            JsonNode node = job;
            for (String segment : field.split("\\.")) {
                node = node.path(segment);
            }
            if (node.isMissingNode() || node.isNull()) {
                values.put(field, "");
            } else if (node.isContainer()) {
                values.put(field, node.toString());
            } else {
                values.put(field, node.asString());
            }
        }
        return values;
    }

    /**
     * The job's JSON from the form: empty fields are left out, numbers and booleans sent as such,
     * anything else as text for the API to judge; the body must be JSON.
     */
    private ObjectNode definition(Map<String, String> values) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        values.forEach((field, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            String[] path = field.split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.has(path[i]) ? (ObjectNode) parent.get(path[i]) : parent.putObject(path[i]);
            }
            String last = path[path.length - 1];
            if (field.equals("target.body")) {
                try {
                    parent.set(last, json.readTree(value));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("must be JSON: " + e.getMessage(), e);
                }
            } else if (field.equals("enabled")) {
                parent.put(last, Boolean.parseBoolean(value));
            } else if (WHOLE_NUMBERS.contains(field) && value.strip().matches("-?\\d{1,18}")) {
                parent.put(last, Long.parseLong(value.strip()));
            } else if (field.equals("retry.multiplier") && value.strip().matches("-?\\d+(\\.\\d+)?")) {
                parent.put(last, Double.parseDouble(value.strip()));
            } else {
                parent.put(last, value);
            }
        });
        return root;
    }

    private static String first(MultiValueMap<String, String> form, String field) {
        String value = form.getFirst(field);
        return value == null ? "" : value;
    }

    private static ObjectNode problem(String title, String detail) {
        ObjectNode problem = JsonNodeFactory.instance.objectNode();
        problem.put("title", title);
        problem.put("detail", detail);
        return problem;
    }

    /** A job in the list, with the status of its latest execution ("" before its first). */
    record Listed(JsonNode job, String lastStatus) {}
}
