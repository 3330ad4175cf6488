package dev.baton.gateway.console;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Locks, semaphores and elections: a listing by prefix, live, then one resource with its holders,
 * waiters, tokens and time to expiry, and force-release for ADMIN.
 */
@Controller
@RequestMapping(ConsoleFilter.ROOT + "/{kind:locks|semaphores|elections}")
class LeasePages {

    /** Resources per page of a listing. */
    static final int PAGE = 50;

    private final ConsoleApi api;

    LeasePages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping
    Mono<String> listing(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @PathVariable String kind,
            @RequestParam(defaultValue = "") String prefix,
            @RequestParam(defaultValue = "") String cursor,
            Model model) {
        return listing(user, kind, prefix, cursor, model, "console/leases");
    }

    @GetMapping("/rows")
    Mono<String> rowsFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @PathVariable String kind,
            @RequestParam(defaultValue = "") String prefix,
            @RequestParam(defaultValue = "") String cursor,
            Model model) {
        return listing(user, kind, prefix, cursor, model, "console/leases :: rows");
    }

    @GetMapping("/resource")
    Mono<String> resource(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @PathVariable String kind,
            @RequestParam String name,
            Model model) {
        return resource(user, kind, name, model, "console/lease");
    }

    @GetMapping("/resource/view")
    Mono<String> resourceFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @PathVariable String kind,
            @RequestParam String name,
            Model model) {
        return resource(user, kind, name, model, "console/lease :: view");
    }

    @PostMapping("/resource/force-release")
    Mono<String> forceRelease(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @PathVariable String kind,
            @RequestParam String name,
            Model model) {
        return api.send(user, HttpMethod.DELETE, path(kind, name), null)
                .then(resource(user, kind, name, model, "console/lease :: view"));
    }

    /** A page of a listing by prefix, which follows the listing's blocking query. */
    private Mono<String> listing(
            ConsoleUser user, String kind, String prefix, String cursor, Model model, String view) {
        model.addAttribute("kind", kind);
        model.addAttribute("prefix", prefix);
        model.addAttribute("cursor", cursor);
        String listing = "/api/v1/" + kind + "?prefix=" + ConsoleApi.query(prefix);
        model.addAttribute("watch", listing);
        return api.get(user, listing + "&limit=" + PAGE + "&cursor=" + ConsoleApi.query(cursor))
                .doOnNext(page -> model.addAttribute("page", page))
                .thenReturn(view);
    }

    /** One resource, which follows its blocking query. */
    private Mono<String> resource(ConsoleUser user, String kind, String name, Model model, String view) {
        if (name.isEmpty()) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "name must not be empty"));
        }
        model.addAttribute("kind", kind);
        model.addAttribute("name", name);
        model.addAttribute("watch", path(kind, name));
        model.addAttribute("mayForceRelease", user.may("DELETE", path(kind, name)));
        return api.get(user, path(kind, name))
                .doOnNext(resource -> model.addAttribute("resource", resource))
                .thenReturn(view);
    }

    private static String path(String kind, String name) {
        return "/api/v1/" + kind + "/" + ConsoleApi.segment(name);
    }
}
