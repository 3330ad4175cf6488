package dev.baton.registry.keys;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.ResourceKind;
import dev.baton.common.security.Role;
import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.InvalidRequestException;
import dev.baton.common.web.ResourceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * API keys managed at runtime (ADMIN): created with their roles, scopes and expiry, listed
 * without the key, revoked. Every service holds them in memory and hears of each change within
 * moments; the gateway follows the {@linkplain #feed key feed}.
 */
@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "API keys")
class KeyController {

    /** A scope's name prefix: what a name holds, or nothing for every name of its kind. */
    static final String PREFIX = "[A-Za-z0-9._:/-]{0,200}";

    private static final java.util.regex.Pattern PREFIX_PATTERN = java.util.regex.Pattern.compile(PREFIX);
    private final KeyService keys;
    private final KeysProperties properties;

    KeyController(KeyService keys, KeysProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    /**
     * A key to create.
     *
     * @param name unique among all keys, those from configuration included
     * @param roles what it may do
     * @param scopes per resource kind ({@code locks}, {@code semaphores}, {@code elections}, {@code services},
     *        {@code config}, {@code jobs}, {@code workflows}), the name prefixes it may touch; absent: every name
     * @param expiresAt when it stops being accepted; absent: never
     */
    record NewKey(
            @ResourceName String name,
            @NotEmpty Set<@NotNull Role> roles,
            @Size(max = 7) Map<String, @NotNull @Size(max = 100) List<@NotNull String>> scopes,
            @Future Instant expiresAt) {}

    /** A key just created, with the key itself: it is shown this once. */
    record CreatedKey(
            UUID id,
            String name,
            String key,
            Set<Role> roles,
            Map<String, List<String>> scopes,
            Instant expiresAt,
            Instant createdAt) {}

    /** A key as listed: never the key itself. */
    record KeyView(
            UUID id,
            String name,
            Set<Role> roles,
            Map<String, List<String>> scopes,
            Instant expiresAt,
            Instant createdAt,
            Instant lastUsedAt) {

        static KeyView of(Key key) {
            return new KeyView(
                    key.id(),
                    key.name(),
                    key.roles(),
                    key.scopes(),
                    key.expiresAt(),
                    key.createdAt(),
                    key.lastUsedAt());
        }
    }

    /** A page of keys, by name. */
    record KeyPage(List<KeyView> items, String nextCursor) {}

    /** One key in the feed: its digest, never the key. */
    record FeedKey(
            UUID id,
            String name,
            String sha256,
            Set<Role> roles,
            Map<String, List<String>> scopes,
            Instant expiresAt) {}

    /** Every key created at runtime, for the gateway. */
    record FeedView(long index, List<FeedKey> keys) {}

    @PostMapping
    @Operation(
            summary = "Create a key",
            description = "201 with the key, shown this once; 409 when the name is " + "taken.")
    ResponseEntity<CreatedKey> create(@Valid @RequestBody NewKey body) {
        checkScopes(body.scopes());
        KeyService.Issued issued = keys.create(body.name(), body.roles(), body.scopes(), body.expiresAt());
        Key key = issued.key();
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/keys/" + key.id()))
                .body(new CreatedKey(
                        key.id(),
                        key.name(),
                        issued.secret(),
                        key.roles(),
                        key.scopes(),
                        key.expiresAt(),
                        key.createdAt()));
    }

    @GetMapping
    @Operation(summary = "Keys created at runtime, by name", description = "Never the key itself.")
    KeyPage list(
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @Parameter(description = "nextCursor of the previous page")
                    @RequestParam(required = false)
                    @Pattern(regexp = ResourceName.PATTERN)
                    String cursor) {
        List<Key> page = keys.list(cursor, limit + 1);
        String next = page.size() > limit ? page.get(limit - 1).name() : null;
        return new KeyPage(page.stream().limit(limit).map(KeyView::of).toList(), next);
    }

    @GetMapping("/{id}")
    @Operation(summary = "A key", description = "Never the key itself; lastUsedAt is recorded about once a second.")
    KeyView get(@PathVariable UUID id) {
        return keys.get(id).map(KeyView::of).orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key", description = "Every service refuses it within a second.")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        if (!keys.revoke(id)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/feed")
    @Operation(
            summary = "Every key created at runtime, by digest, for the gateway",
            description = "ADMIN, or a key named in baton.keys.feed-readers. A blocking query on the keys' index.")
    CompletableFuture<ResponseEntity<FeedView>> feed(
            Authentication authentication,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        ApiKeyPrincipal caller = (ApiKeyPrincipal) authentication.getPrincipal();
        if (!caller.roles().contains(Role.ADMIN) && !properties.feedReaders().contains(caller.name())) {
            throw new ResponseStatusException(
                    HttpStatus.FORBIDDEN,
                    "The API key '" + caller.name()
                            + "' may not follow the key feed: it needs ADMIN, or its name in baton.keys.feed-readers.");
        }
        return keys.feed(BlockingQuery.of(index, wait))
                .thenApply(feed -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(feed.index()))
                        .body(new FeedView(
                                feed.index(),
                                feed.keys().stream()
                                        .map(key -> new FeedKey(
                                                key.id(),
                                                key.name(),
                                                key.sha256(),
                                                key.roles(),
                                                key.scopes(),
                                                key.expiresAt()))
                                        .toList())));
    }

    @ExceptionHandler(KeyNameTaken.class)
    ResponseEntity<ProblemDetail> nameTaken(KeyNameTaken taken) {
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, taken.getMessage()));
    }

    private static void checkScopes(Map<String, List<String>> scopes) {
        if (scopes == null) {
            return;
        }
        scopes.forEach((kind, prefixes) -> {
            if (ResourceKind.of(kind) == null) {
                throw new InvalidRequestException(
                        "scopes." + kind,
                        "is not a resource kind: locks, semaphores, "
                                + "elections, services, config, jobs or workflows");
            }
            for (String prefix : prefixes) {
                if (!PREFIX_PATTERN.matcher(prefix).matches()) {
                    throw new InvalidRequestException(
                            "scopes." + kind,
                            "each prefix must be 0 to 200 characters "
                                    + "of A-Z, a-z, 0-9, '.', '_', ':', '/' and '-'");
                }
            }
        });
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no API key " + id + ".");
    }
}
