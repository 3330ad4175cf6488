package dev.baton.scheduler.alert;

import dev.baton.common.security.ApiKeyPrincipal;
import dev.baton.common.security.OutOfScopeException;
import dev.baton.common.security.ResourceKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** A job's alert history, for a key whose jobs scope starts the job's name. */
@RestController
@Tag(name = "Jobs")
@Validated
class AlertController {

    private final Alerts alerts;

    AlertController(Alerts alerts) {
        this.alerts = alerts;
    }

    /**
     * A page of alerts, newest first.
     *
     * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
     */
    record AlertPage(List<AlertView> items, String nextCursor) {}

    @GetMapping("/api/v1/jobs/{id}/alerts")
    @Operation(
            summary = "A job's alerts, newest first",
            description = "What was sent, to which channel, its status, attempts and last error. Filter by status.")
    AlertPage alerts(
            Authentication caller,
            @PathVariable UUID id,
            @RequestParam(required = false) AlertStatus status,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @Min(1) Long cursor) {
        String name = alerts.jobName(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No job has id " + id + "."));
        OutOfScopeException.require((ApiKeyPrincipal) caller.getPrincipal(), ResourceKind.JOBS, name);
        List<AlertView> items = alerts.history(id, status, cursor == null ? Long.MAX_VALUE : cursor, limit);
        return new AlertPage(
                items,
                items.size() < limit
                        ? null
                        : String.valueOf(items.get(items.size() - 1).id()));
    }
}
