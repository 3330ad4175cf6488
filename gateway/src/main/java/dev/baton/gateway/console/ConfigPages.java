package dev.baton.gateway.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The config center: namespaces, then their keys; editing by compare-and-set, with a change that
 * landed meanwhile shown as a conflict beside the user's own value; each key's history with a diff
 * between any two versions and a roll-back to any of them; a namespace exported and imported as
 * {@code .properties} or {@code .yaml}.
 */
@Controller
@RequestMapping(ConsoleFilter.ROOT + "/config")
class ConfigPages {

    private static final String NAMESPACES = "/api/v1/config";

    private final ConsoleApi api;

    ConfigPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping
    Mono<String> namespaces(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam(defaultValue = "") String prefix,
            @RequestParam(defaultValue = "") String cursor,
            Model model) {
        model.addAttribute("prefix", prefix);
        model.addAttribute("cursor", cursor);
        return api.get(
                        user,
                        NAMESPACES + "?prefix=" + ConsoleApi.query(prefix) + "&limit=" + LeasePages.PAGE + "&cursor="
                                + ConsoleApi.query(cursor))
                .doOnNext(page -> model.addAttribute("page", page))
                .thenReturn("console/config");
    }

    @GetMapping("/namespace")
    Mono<String> namespace(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String ns, Model model) {
        return namespace(user, ns, model, "console/config-namespace");
    }

    @GetMapping("/namespace/keys")
    Mono<String> keysFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String ns, Model model) {
        return namespace(user, ns, model, "console/config-namespace :: keys");
    }

    /** The form for a key: its value and version now, or empty for a new key. */
    @GetMapping("/edit")
    Mono<String> edit(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam String ns,
            @RequestParam(defaultValue = "") String key,
            Model model) {
        model.addAttribute("ns", ns);
        model.addAttribute("key", key);
        model.addAttribute("creating", key.isEmpty());
        if (key.isEmpty()) {
            model.addAttribute("value", "");
            model.addAttribute("version", "");
            return Mono.just("console/config-edit");
        }
        return api.get(user, keyPath(ns, key))
                .doOnNext(entry -> {
                    model.addAttribute("value", entry.path("value").asString());
                    model.addAttribute(
                            "version", String.valueOf(entry.path("version").asLong()));
                })
                .thenReturn("console/config-edit");
    }

    /**
     * Writes the key if it is still at the version the form was opened at (or, for a new key, if
     * it still does not exist). When another change landed first, the form comes back with both
     * values and the current version, so a second submit overwrites knowingly.
     */
    @PostMapping("/edit")
    Mono<String> save(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            String ns = form.getFirst("ns");
            String key = form.getFirst("key");
            String value = form.getFirst("value");
            String version = form.getFirst("version");
            model.addAttribute("creating", "true".equals(form.getFirst("creating")));
            if (ns == null || key == null || value == null || key.isBlank()) {
                return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "ns, key and value are needed"));
            }
            Map<String, String> precondition = version == null || version.isEmpty()
                    ? Map.of(HttpHeaders.IF_NONE_MATCH, "*")
                    : Map.of(HttpHeaders.IF_MATCH, "\"" + version + "\"");
            return api.send(user, HttpMethod.PUT, keyPath(ns, key), Map.of("value", value), precondition)
                    .thenReturn("redirect:" + ConsoleFilter.ROOT + "/config/namespace?ns=" + ConsoleApi.query(ns))
                    .onErrorResume(
                            ConsoleApiException.class,
                            e -> e.status() == HttpStatus.PRECONDITION_FAILED
                                    ? conflict(user, ns, key, value, model)
                                    : fieldErrors(e, ns, key, value, version, model));
        });
    }

    @GetMapping("/history")
    Mono<String> history(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam String ns,
            @RequestParam String key,
            @RequestParam(required = false) Long from,
            @RequestParam(required = false) Long to,
            Model model) {
        model.addAttribute("ns", ns);
        model.addAttribute("key", key);
        model.addAttribute("mayWrite", user.may("PUT", keyPath(ns, key)));
        return api.get(user, keyPath(ns, key) + "/history")
                .doOnNext(versions -> {
                    List<JsonNode> all = new ArrayList<>();
                    versions.forEach(all::add);
                    model.addAttribute("versions", all);
                    model.addAttribute(
                            "current",
                            all.isEmpty() ? 0 : all.get(0).path("version").asLong());
                    long newer = to != null
                            ? to
                            : all.isEmpty() ? 0 : all.get(0).path("version").asLong();
                    long older = from != null
                            ? from
                            : all.size() > 1 ? all.get(1).path("version").asLong() : newer;
                    model.addAttribute("from", older);
                    model.addAttribute("to", newer);
                    model.addAttribute("diff", LineDiff.between(valueAt(all, older), valueAt(all, newer)));
                })
                .thenReturn("console/config-history");
    }

    /** Writes an earlier version's value as the newest, if nothing changed since the page was shown. */
    @PostMapping("/rollback")
    Mono<String> rollback(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String ns = form.getFirst("ns");
            String key = form.getFirst("key");
            Long version = number(form.getFirst("version"));
            Long current = number(form.getFirst("current"));
            if (ns == null || key == null || version == null || current == null) {
                return Mono.error(
                        new ResponseStatusException(HttpStatus.BAD_REQUEST, "ns, key, version and current are needed"));
            }
            return api.get(user, keyPath(ns, key) + "/history")
                    .flatMap(versions -> {
                        JsonNode target = null;
                        for (JsonNode candidate : versions) {
                            if (candidate.path("version").asLong() == version) {
                                target = candidate;
                            }
                        }
                        if (target == null) {
                            return Mono.error(new ResponseStatusException(
                                    HttpStatus.NOT_FOUND, "no version " + version + " of " + key));
                        }
                        Map<String, String> ifCurrent = Map.of(HttpHeaders.IF_MATCH, "\"" + current + "\"");
                        if (target.path("deleted").asBoolean()) {
                            return api.send(user, HttpMethod.DELETE, keyPath(ns, key), null, ifCurrent);
                        }
                        Map<String, String> body = new LinkedHashMap<>();
                        body.put("value", target.path("value").asString());
                        body.put("contentType", target.path("contentType").asString("text/plain"));
                        return api.send(user, HttpMethod.PUT, keyPath(ns, key), body, ifCurrent);
                    })
                    .thenReturn("redirect:" + ConsoleFilter.ROOT + "/config/history?ns=" + ConsoleApi.query(ns)
                            + "&key=" + ConsoleApi.query(key));
        });
    }

    @GetMapping("/export")
    Mono<ResponseEntity<String>> export(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam String ns,
            @RequestParam(defaultValue = "properties") String format) {
        ConfigFormats chosen = formatOf(format);
        return api.get(user, NAMESPACES + "/" + ConsoleApi.segment(ns)).map(namespace -> {
            Map<String, String> entries = new LinkedHashMap<>();
            namespace
                    .path("entries")
                    .forEach(entry -> entries.put(
                            entry.path("key").asString(), entry.path("value").asString()));
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(chosen.mediaType() + ";charset=UTF-8"))
                    .header(
                            HttpHeaders.CONTENT_DISPOSITION,
                            ContentDisposition.attachment()
                                    .filename(ns + "." + chosen.extension(), StandardCharsets.UTF_8)
                                    .build()
                                    .toString())
                    .body(chosen.write(entries));
        });
    }

    /** Writes every key of a {@code .properties} or {@code .yaml} file whose value differs from the namespace's. */
    @PostMapping(path = "/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<String> importFile(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, ServerWebExchange exchange, Model model) {
        return exchange.getMultipartData().flatMap(parts -> {
            String ns = field(parts, "ns");
            if (!(parts.getFirst("file") instanceof FilePart file) || ns == null) {
                return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "ns and file are needed"));
            }
            ConfigFormats format = formatOf(file.filename());
            return DataBufferUtils.join(file.content())
                    .map(buffer -> {
                        try {
                            return buffer.toString(StandardCharsets.UTF_8);
                        } finally {
                            DataBufferUtils.release(buffer);
                        }
                    })
                    .map(text -> {
                        try {
                            return format.read(text);
                        } catch (IllegalArgumentException e) {
                            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
                        }
                    })
                    .flatMap(entries -> api.get(user, NAMESPACES + "/" + ConsoleApi.segment(ns))
                            .flatMap(current -> {
                                Map<String, String> now = new LinkedHashMap<>();
                                current.path("entries")
                                        .forEach(entry -> now.put(
                                                entry.path("key").asString(),
                                                entry.path("value").asString()));
                                return Flux.fromIterable(entries.entrySet())
                                        .filter(entry -> !entry.getValue().equals(now.get(entry.getKey())))
                                        .concatMap(entry -> api.send(
                                                user,
                                                HttpMethod.PUT,
                                                keyPath(ns, entry.getKey()),
                                                Map.of("value", entry.getValue())))
                                        .count();
                            }))
                    .doOnNext(written ->
                            model.addAttribute("imported", written + " of the file's keys written, the rest unchanged"))
                    .then(namespace(user, ns, model, "console/config-namespace"));
        });
    }

    /** A namespace's keys, which follow its blocking query. */
    private Mono<String> namespace(ConsoleUser user, String ns, Model model, String view) {
        model.addAttribute("ns", ns);
        model.addAttribute("watch", NAMESPACES + "/" + ConsoleApi.segment(ns));
        model.addAttribute("mayWrite", user.may("PUT", keyPath(ns, "any")));
        return api.get(user, NAMESPACES + "/" + ConsoleApi.segment(ns))
                .doOnNext(namespace -> model.addAttribute("entries", namespace.path("entries")))
                .thenReturn(view);
    }

    private Mono<String> conflict(ConsoleUser user, String ns, String key, String mine, Model model) {
        model.addAttribute("ns", ns);
        model.addAttribute("key", key);
        model.addAttribute("value", mine);
        return api.get(user, keyPath(ns, key))
                .map(entry -> {
                    model.addAttribute("theirs", entry.path("value").asString());
                    model.addAttribute(
                            "version", String.valueOf(entry.path("version").asLong()));
                    return "console/config-edit";
                })
                .onErrorResume(ConsoleApiException.class, gone -> {
                    if (gone.status() != HttpStatus.NOT_FOUND) {
                        return Mono.error(gone);
                    }
                    model.addAttribute("theirs", "");
                    model.addAttribute("deleted", true);
                    model.addAttribute("version", "");
                    return Mono.just("console/config-edit");
                })
                .doOnSuccess(view -> model.addAttribute("conflict", true));
    }

    private static Mono<String> fieldErrors(
            ConsoleApiException e, String ns, String key, String value, String version, Model model) {
        if (e.status() != HttpStatus.BAD_REQUEST) {
            return Mono.error(e);
        }
        model.addAttribute("ns", ns);
        model.addAttribute("key", key);
        model.addAttribute("value", value);
        model.addAttribute("version", version == null ? "" : version);
        model.addAttribute("problem", e.shown());
        model.addAttribute("errors", e.fieldErrors());
        return Mono.just("console/config-edit");
    }

    private static String valueAt(List<JsonNode> versions, long version) {
        return versions.stream()
                .filter(v -> v.path("version").asLong() == version)
                .findFirst()
                .map(v -> v.path("value").asString(""))
                .orElse("");
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String field(MultiValueMap<String, Part> parts, String name) {
        return parts.getFirst(name) instanceof FormFieldPart field ? field.value() : null;
    }

    private static ConfigFormats formatOf(String nameOrFormat) {
        try {
            return ConfigFormats.of(nameOrFormat);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private static String keyPath(String ns, String key) {
        return NAMESPACES + "/" + ConsoleApi.segment(ns) + "/" + ConsoleApi.segment(key);
    }
}
