package dev.baton.registry.config;

import dev.baton.common.text.StorableText;
import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.InvalidRequestException;
import dev.baton.common.web.ResourceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The config center: namespaced keys with versions and history. {@code If-Match: "<version>"}
 * makes a write a compare-and-set, {@code If-None-Match: *} a create; GETs are blocking queries.
 */
@RestController
@RequestMapping("/api/v1/config")
@Tag(name = "Config center")
class ConfigController {

    /** Namespaces: letters, digits and {@code . _ -}. */
    static final String NAMESPACE = "[A-Za-z0-9._-]{1,200}";

    /** Keys: property names such as {@code spring.datasource.url} or {@code app.hosts[0]}, with no '.' or '..' segment. */
    static final String KEY = ResourceName.NO_DOT_SEGMENTS + "[A-Za-z0-9._:/\\[\\]-]{1,200}";

    /** The largest value accepted, in characters. */
    static final int MAX_VALUE = 256 * 1024;

    private final ConfigService config;

    ConfigController(ConfigService config) {
        this.config = config;
    }

    /**
     * A value written as JSON.
     *
     * @param value the value
     * @param contentType what the value is, such as {@code text/plain} (the default) or {@code application/json}
     */
    record ValueBody(
            @NotNull @Size(max = MAX_VALUE) String value,

            @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9.+/-]+(;[ A-Za-z0-9=.+/-]*)?")
            String contentType) {}

    /** A namespace's keys. */
    record NamespaceView(String namespace, List<ConfigEntry> entries) {}

    @PutMapping(path = "/{namespace}/{key}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Create or update a value, given as JSON {value, contentType}",
            description = "If-Match: \"<version>\" makes it a compare-and-set (412 on a mismatch); "
                    + "If-None-Match: * creates only.")
    ResponseEntity<ConfigEntry> putJson(
            @PathVariable @Pattern(regexp = NAMESPACE) String namespace,
            @PathVariable @Pattern(regexp = KEY) String key,
            @Valid @RequestBody ValueBody body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        String contentType = body.contentType() == null ? MediaType.TEXT_PLAIN_VALUE : body.contentType();
        return written(config.put(namespace, key, body.value(), contentType, precondition(ifMatch, ifNoneMatch)));
    }

    @PutMapping(path = "/{namespace}/{key}", consumes = MediaType.TEXT_PLAIN_VALUE)
    @Operation(
            summary = "Create or update a value, given as text/plain",
            description = "If-Match: \"<version>\" makes it a compare-and-set (412 on a mismatch); "
                    + "If-None-Match: * creates only.")
    ResponseEntity<ConfigEntry> putText(
            @PathVariable @Pattern(regexp = NAMESPACE) String namespace,
            @PathVariable @Pattern(regexp = KEY) String key,
            @RequestBody(required = false) byte[] body,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return written(
                config.put(namespace, key, text(body), MediaType.TEXT_PLAIN_VALUE, precondition(ifMatch, ifNoneMatch)));
    }

    @GetMapping("/{namespace}/{key}")
    @Operation(
            summary = "A key's current value",
            description = "ETag: \"<version>\". A blocking query: with index, "
                    + "answers once the key changes or wait elapses; 404 when it does not exist.")
    CompletableFuture<ResponseEntity<Object>> get(
            @PathVariable @Pattern(regexp = NAMESPACE) String namespace,
            @PathVariable @Pattern(regexp = KEY) String key,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        return config.get(namespace, key, query)
                .thenApply(read -> read.entry()
                        .<ResponseEntity<Object>>map(entry -> ResponseEntity.ok()
                                .eTag(String.valueOf(entry.version()))
                                .header(BlockingQuery.INDEX_HEADER, String.valueOf(read.index()))
                                .body(entry))
                        .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                                .header(BlockingQuery.INDEX_HEADER, String.valueOf(read.index()))
                                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                                .body(ProblemDetail.forStatusAndDetail(
                                        HttpStatus.NOT_FOUND,
                                        "Key '" + key + "' does not exist in namespace '" + namespace + "'."))));
    }

    /**
     * A page of namespaces.
     *
     * @param items the namespaces, in name order
     * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
     */
    record NamespacePage(List<NamespaceSummary> items, String nextCursor) {}

    @GetMapping({"", "/"})
    @Operation(summary = "Namespaces by name prefix, in name order, with their key counts")
    NamespacePage namespaces(
            @RequestParam(defaultValue = "") @Size(max = 200) String prefix,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(defaultValue = "") @Size(max = 200) String cursor) {
        List<NamespaceSummary> items = config.namespaces(prefix, cursor, limit);
        return new NamespacePage(
                items, items.size() < limit ? null : items.get(items.size() - 1).name());
    }

    @GetMapping("/{namespace}")
    @Operation(
            summary = "Every key of a namespace",
            description =
                    "A blocking query: with index, answers once " + "any key of the namespace changes or wait elapses.")
    CompletableFuture<ResponseEntity<NamespaceView>> namespace(
            @PathVariable @Pattern(regexp = NAMESPACE) String namespace,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        BlockingQuery query = BlockingQuery.of(index, wait);
        return config.namespace(namespace, query)
                .thenApply(read -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(read.index()))
                        .body(new NamespaceView(namespace, read.entries())));
    }

    @GetMapping("/{namespace}/{key}/history")
    @Operation(summary = "A key's versions, newest first", description = "Deletions are versions too.")
    List<Version> history(
            @PathVariable @Pattern(regexp = NAMESPACE) String namespace,
            @PathVariable @Pattern(regexp = KEY) String key,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<Version> versions = config.history(namespace, key, limit);
        if (versions.isEmpty()) {
            throw new ResponseStatusException(
                    HttpStatus.NOT_FOUND, "Key '" + key + "' was never written in namespace '" + namespace + "'.");
        }
        return versions;
    }

    @DeleteMapping("/{namespace}/{key}")
    @Operation(
            summary = "Delete a key",
            description =
                    "204 also when it did not exist, unless If-Match asks for a " + "version (412 on a mismatch).")
    ResponseEntity<Void> delete(
            @PathVariable @Pattern(regexp = NAMESPACE) String namespace,
            @PathVariable @Pattern(regexp = KEY) String key,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        config.delete(namespace, key, precondition(ifMatch, null));
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(PreconditionFailed.class)
    ResponseEntity<ProblemDetail> preconditionFailed(PreconditionFailed failure) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.PRECONDITION_FAILED, failure.getMessage() + ": the precondition does not hold.");
        problem.setProperty("currentVersion", failure.current());
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.status(HttpStatus.PRECONDITION_FAILED).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (failure.current() != null) {
            answer.eTag(String.valueOf(failure.current()));
        }
        return answer.body(problem);
    }

    /** A text/plain body, taken byte for byte as UTF-8: a value read back is the value written. */
    private static String text(byte[] body) {
        if (body == null) {
            return "";
        }
        String value;
        try {
            value = StorableText.utf8(body);
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("value", "is not UTF-8 text");
        }
        String flaw = StorableText.flaw(value);
        if (flaw != null) {
            throw new InvalidRequestException("value", flaw);
        }
        if (value.length() > MAX_VALUE) {
            throw new InvalidRequestException("value", "size must be between 0 and " + MAX_VALUE);
        }
        return value;
    }

    private static ResponseEntity<ConfigEntry> written(ConfigEntry entry) {
        return ResponseEntity.ok().eTag(String.valueOf(entry.version())).body(entry);
    }

    /** Reads {@code If-Match} ({@code "3"}, {@code 3} or {@code *}) and {@code If-None-Match} (only {@code *}). */
    static Precondition precondition(String ifMatch, String ifNoneMatch) {
        boolean absent = false;
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new InvalidRequestException(
                        "If-None-Match", "only * is supported: create the key only if absent");
            }
            absent = true;
        }
        if (ifMatch == null) {
            return new Precondition(null, absent, false);
        }
        String tag = ifMatch.trim();
        if (tag.equals("*")) {
            return new Precondition(null, absent, true);
        }
        if (tag.startsWith("\"") && tag.endsWith("\"") && tag.length() >= 2) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            long version = Long.parseLong(tag);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return new Precondition(version, absent, true);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("If-Match", "must be a version such as \"3\", or *");
        }
    }
}
