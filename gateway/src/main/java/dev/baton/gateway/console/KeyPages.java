package dev.baton.gateway.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * API keys and the audit log, for ADMIN: keys listed (never the keys themselves), created (the key
 * shown this once) and revoked; the audit log browsed by key, kind, name and time, newest first.
 * The listing of keys follows the key feed's blocking query, the audit log its own.
 */
@Controller
@RequestMapping(ConsoleFilter.ROOT)
class KeyPages {

    static final List<String> ROLES = List.of("READ", "WRITE", "ADMIN");
    static final List<String> KINDS =
            List.of("locks", "semaphores", "elections", "services", "config", "jobs", "workflows");

    private final ConsoleApi api;

    KeyPages(ConsoleApi api) {
        this.api = api;
    }

    /** The API path whose blocking query moves at every change of a key. */
    static final String KEY_FEED = "/api/v1/keys/feed";

    @GetMapping("/keys")
    Mono<String> keys(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam(defaultValue = "") String cursor,
            Model model) {
        return list(user, cursor, model).thenReturn("console/keys");
    }

    @GetMapping("/keys/rows")
    Mono<String> keysFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam(defaultValue = "") String cursor,
            Model model) {
        return list(user, cursor, model).thenReturn("console/keys :: rows");
    }

    /** Creates a key from the form: its name, roles, an optional expiry and, per kind, the prefixes it may touch. */
    @PostMapping("/keys")
    Mono<String> create(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("name", form.getFirst("name") == null ? "" : form.getFirst("name"));
            var roles = body.putArray("roles");
            List<String> chosen = form.getOrDefault("roles", List.of());
            chosen.forEach(roles::add);
            String expiresAt = form.getFirst("expiresAt");
            if (expiresAt != null && !expiresAt.isBlank()) {
                body.put("expiresAt", expiresAt.strip());
            }
            Map<String, String> scopeFields = new LinkedHashMap<>();
            ObjectNode scopes = JsonNodeFactory.instance.objectNode();
            for (String kind : KINDS) {
                String prefixes = form.getFirst("scope." + kind);
                scopeFields.put(kind, prefixes == null ? "" : prefixes);
                if (prefixes != null && !prefixes.isBlank()) {
                    var list = scopes.putArray(kind);
                    for (String prefix : prefixes.split(",")) {
                        if (!prefix.isBlank()) {
                            list.add(prefix.strip());
                        }
                    }
                }
            }
            if (!scopes.isEmpty()) {
                body.set("scopes", scopes);
            }
            model.addAttribute(
                    "form",
                    Map.of("name", body.path("name").asString(), "expiresAt", expiresAt == null ? "" : expiresAt));
            model.addAttribute("chosenRoles", chosen);
            model.addAttribute("scopeFields", scopeFields);
            return api.send(user, HttpMethod.POST, "/api/v1/keys", body)
                    .doOnNext(created -> model.addAttribute("created", created.body()))
                    .then(list(user, "", model))
                    .thenReturn("console/keys")
                    .onErrorResume(
                            ConsoleApiException.class,
                            e -> ConsolePages.refusedForm(
                                    e, exchange, model, list(user, "", model).thenReturn("console/keys")));
        });
    }

    @PostMapping("/keys/revoke")
    Mono<String> revoke(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String id) {
        return api.send(user, HttpMethod.DELETE, "/api/v1/keys/" + ConsoleApi.segment(id), null)
                .thenReturn("redirect:" + ConsoleFilter.ROOT + "/keys");
    }

    /**
     * What the audit page asks for, from its query parameters: the filters and the cursor.
     *
     * @param keyName the key's name
     * @param kind the resource kind
     * @param name the resource's name
     * @param since RFC 3339, inclusive
     * @param until RFC 3339, exclusive
     * @param cursor the previous page's nextCursor
     */
    record AuditQuery(String keyName, String kind, String name, String since, String until, String cursor) {

        /** The filters by name, each "" when not given. */
        Map<String, String> filters() {
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("keyName", keyName == null ? "" : keyName);
            filters.put("kind", kind == null ? "" : kind);
            filters.put("name", name == null ? "" : name);
            filters.put("since", since == null ? "" : since);
            filters.put("until", until == null ? "" : until);
            return filters;
        }

        /** The audit log's API path with these filters. */
        String path() {
            List<String> query = new ArrayList<>();
            filters().forEach((field, value) -> {
                if (!value.isBlank()) {
                    query.add(field + "=" + ConsoleApi.query(value.strip()));
                }
            });
            query.add("limit=" + LeasePages.PAGE);
            return "/api/v1/audit?" + String.join("&", query);
        }
    }

    @GetMapping("/audit")
    Mono<String> audit(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, AuditQuery query, Model model) {
        return audit(user, query, model, "console/audit");
    }

    @GetMapping("/audit/rows")
    Mono<String> auditFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, AuditQuery query, Model model) {
        return audit(user, query, model, "console/audit :: rows");
    }

    /** A page of the audit log, which follows the log's blocking query. */
    private Mono<String> audit(ConsoleUser user, AuditQuery query, Model model, String view) {
        String cursor = query.cursor() == null ? "" : query.cursor();
        model.addAttribute("filters", query.filters());
        model.addAttribute("kinds", KINDS);
        model.addAttribute("watch", query.path());
        model.addAttribute("cursor", cursor);
        String page = cursor.isBlank() ? query.path() : query.path() + "&cursor=" + ConsoleApi.query(cursor);
        return api.get(user, page)
                .doOnNext(entries -> model.addAttribute("page", entries))
                .thenReturn(view);
    }

    private Mono<Void> list(ConsoleUser user, String cursor, Model model) {
        model.addAttribute("watch", KEY_FEED);
        model.addAttribute("roles", ROLES);
        model.addAttribute("kinds", KINDS);
        model.addAttribute("cursor", cursor);
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", Map.of("name", "", "expiresAt", ""));
            model.addAttribute("chosenRoles", List.of("READ"));
            model.addAttribute("scopeFields", Map.of());
        }
        String listing = "/api/v1/keys?limit=" + LeasePages.PAGE
                + (cursor.isEmpty() ? "" : "&cursor=" + ConsoleApi.query(cursor));
        return api.get(user, listing)
                .doOnNext(page -> model.addAttribute("page", page))
                .then();
    }
}
