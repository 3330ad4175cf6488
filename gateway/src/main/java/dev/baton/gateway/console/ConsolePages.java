package dev.baton.gateway.console;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What every console page shares: the signed-in user and the time of rendering in the model, and a refusal or
 * failure of the API shown as its problem's title and detail, with its status. A request that asks
 * for JSON gets the problem itself; an htmx request gets it in the page's message area; a page, a
 * page of its own.
 */
@ControllerAdvice(basePackageClasses = ConsolePages.class)
final class ConsolePages {

    @ModelAttribute
    void common(ServerWebExchange exchange, Model model) {
        Object user = exchange.getAttribute(ConsoleUser.ATTRIBUTE);
        if (user != null) {
            model.addAttribute("user", user);
        }
        model.addAttribute("times", new Times(Instant.now()));
        model.addAttribute("path", exchange.getRequest().getPath().value());
    }

    /** Times as pages show them, from the moment the page was rendered. */
    record Times(Instant now) {

        /** How long until an RFC 3339 time, in seconds, or "expired". */
        public String left(String at) {
            Duration left = Duration.between(now, OffsetDateTime.parse(at).toInstant());
            return left.isNegative() ? "expired" : left.toSeconds() + " s";
        }
    }

    /**
     * A form the API refused with 4xx (but 403) comes back as {@code view}, with the problem and each
     * field's error; anything else goes on as the error it is.
     */
    static Mono<String> refusedForm(ConsoleApiException e, ServerWebExchange exchange, Model model, Mono<String> view) {
        if (!e.status().is4xxClientError() || e.status() == HttpStatus.FORBIDDEN) {
            return Mono.error(e);
        }
        model.addAttribute("problem", e.shown());
        model.addAttribute("errors", e.fieldErrors());
        exchange.getResponse().setStatusCode(e.status());
        return view;
    }

    @ExceptionHandler(ConsoleApiException.class)
    Object refused(ConsoleApiException e, ServerWebExchange exchange, Model model) {
        boolean json = exchange.getRequest().getHeaders().getAccept().stream()
                .anyMatch(type -> type.isConcrete()
                        && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                                || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)));
        if (json) {
            return ResponseEntity.status(e.status())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(e.problem());
        }
        exchange.getResponse().setStatusCode(e.status());
        model.addAttribute("problem", e.shown());
        if (exchange.getRequest().getHeaders().containsHeader("HX-Request")) {
            exchange.getResponse().getHeaders().set("HX-Retarget", "#flash");
            exchange.getResponse().getHeaders().set("HX-Reswap", "innerHTML");
            return "console/layout :: problem";
        }
        return "console/error";
    }
}
