package dev.baton.gateway.console;

import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Server-sent events that tell a page when what it shows changed: for as long as the page is
 * open, the console holds a blocking query on the API path with the user's key, and sends
 * {@code changed} each time its index moves. The page then fetches its fragment again. A path that
 * answers without an index is no blocking query: the stream then sends nothing but keep-alives. A
 * path that changes all the time (every execution of the suite) is asked again no sooner than
 * {@link #PACE} after its last answer, so a page costs at most a few requests a second.
 */
@RestController
@RequestMapping(ConsoleFilter.ROOT)
class LivePages {

    /** How long each blocking query waits before it is asked again. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The least time between two blocking queries of one stream. */
    private static final Duration PACE = Duration.ofMillis(500);

    /** A comment this often keeps proxies from closing a quiet stream, and finds a page that left. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final ConsoleApi api;

    LivePages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping(path = "/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> live(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String watch) {
        if (!watch.startsWith("/api/v1/") || watch.contains("..") || watch.contains("index=")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "watch must be an API path to follow");
        }
        Flux<ServerSentEvent<String>> changes = api.watch(user, watch, 0, Duration.ZERO)
                .expand(answer -> answer.index() < 0
                        ? Mono.empty()
                        : api.watch(user, watch, answer.index(), WAIT).delaySubscription(PACE))
                .map(ConsoleApi.Answer::index)
                .distinctUntilChanged()
                .skip(1)
                .map(index -> ServerSentEvent.builder(String.valueOf(index))
                        .event("changed")
                        .build());
        Flux<ServerSentEvent<String>> keepAlive = Flux.interval(Duration.ZERO, KEEP_ALIVE)
                .map(tick ->
                        ServerSentEvent.<String>builder().comment("watching").build());
        return Flux.merge(changes, keepAlive).onErrorResume(ConsoleApiException.class, e -> Flux.empty());
    }
}
