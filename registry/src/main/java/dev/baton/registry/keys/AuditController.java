package dev.baton.registry.keys;

import dev.baton.common.security.ResourceKind;
import dev.baton.common.web.BlockingQuery;
import dev.baton.common.web.InvalidRequestException;
import dev.baton.common.web.ResourceName;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log (ADMIN): every change made with a key, in every service, newest first. */
@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "API keys")
class AuditController {

    private final AuditService audit;

    AuditController(AuditService audit) {
        this.audit = audit;
    }

    /** An entry as the API shows it. */
    record EntryView(
            Instant at, String keyName, String method, String kind, String name, int status, String remoteAddress) {

        static EntryView of(AuditEntry entry) {
            return new EntryView(
                    entry.at(),
                    entry.keyName(),
                    entry.method(),
                    entry.kind(),
                    entry.name(),
                    entry.status(),
                    entry.remoteAddress());
        }
    }

    /** A page of entries. */
    record AuditPage(List<EntryView> items, String nextCursor) {}

    /** A page and the log's index it was read at. */
    private record Indexed(long index, AuditPage page) {}

    @GetMapping
    @Operation(
            summary = "Changes made with keys, newest first",
            description = "Kept for baton.keys.audit-retention (30 days by default). An entry is written within "
                    + "moments of its request, in batches. A blocking query: with index, answers once an entry "
                    + "newer than it is written (X-Baton-Index, the newest entry's id) or wait elapses.")
    CompletableFuture<ResponseEntity<AuditPage>> audit(
            @RequestParam(required = false) @Pattern(regexp = ResourceName.PATTERN) String keyName,
            @Parameter(description = "locks, semaphores, elections, services, config, jobs or workflows")
                    @RequestParam(required = false)
                    String kind,
            @RequestParam(required = false) @Pattern(regexp = ResourceName.PATTERN) String name,
            @Parameter(description = "RFC 3339, inclusive") @RequestParam(required = false) String since,
            @Parameter(description = "RFC 3339, exclusive") @RequestParam(required = false) String until,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @Parameter(description = "nextCursor of the previous page")
                    @RequestParam(required = false)
                    @Pattern(regexp = "[0-9]{1,18}")
                    String cursor,
            @Parameter(description = "the index last seen") @RequestParam(required = false) Long index,
            @Parameter(description = "how long to wait, such as 30s (at most 5m)") @RequestParam(required = false)
                    String wait) {
        if (kind != null && ResourceKind.of(kind) == null) {
            throw new InvalidRequestException(
                    "kind", "must be one of locks, semaphores, elections, services, config, " + "jobs, workflows");
        }
        AuditQuery query = new AuditQuery(
                keyName,
                kind,
                name,
                instant("since", since),
                instant("until", until),
                cursor == null ? null : Long.valueOf(cursor));
        return audit.watch(BlockingQuery.of(index, wait), () -> page(query, limit), Indexed::index)
                .thenApply(indexed -> ResponseEntity.ok()
                        .header(BlockingQuery.INDEX_HEADER, String.valueOf(indexed.index()))
                        .body(indexed.page()));
    }

    private Indexed page(AuditQuery query, int limit) {
        long index = audit.newest();
        List<AuditEntry> entries = audit.find(query, limit + 1);
        String next =
                entries.size() > limit ? String.valueOf(entries.get(limit - 1).id()) : null;
        return new Indexed(
                index,
                new AuditPage(entries.stream().limit(limit).map(EntryView::of).toList(), next));
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }
}
