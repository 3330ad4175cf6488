package dev.baton.gateway.console;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The overview: the suite's own replicas, every registered service with its healthy count, and
 * the suite's activity: valid leases, executions running, failed in the last hour, and per minute
 * by status. Each part shows what the user's key reaches; a part it does not reach shows none.
 */
@Controller
@RequestMapping(ConsoleFilter.ROOT)
class OverviewPage {

    /**
     * The suite's services that register themselves; the registry is not among them, and is up
     * when it answers the page's listing.
     */
    static final List<String> SUITE = List.of("lock-service", "scheduler-service", "gateway");

    /** The kinds whose leases the overview counts. */
    static final List<String> LEASE_KINDS = List.of("locks", "semaphores", "elections");

    /** The API path whose blocking query moves at every execution's change. */
    static final String EXECUTIONS = "/api/v1/executions/summary";

    private final ConsoleApi api;

    OverviewPage(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping({"", "/"})
    Mono<String> overview(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, Model model) {
        String view = "console/overview";
        return Mono.zip(services(user, model, view), activity(user, model, view))
                .map(Tuple2::getT1);
    }

    @GetMapping("/overview/services")
    Mono<String> servicesFragment(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, Model model) {
        return services(user, model, "console/overview :: services");
    }

    @GetMapping("/overview/activity")
    Mono<String> activityFragment(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, Model model) {
        return activity(user, model, "console/overview :: activity");
    }

    /** The suite's replicas and the registered services, which follow the registry's services. */
    private Mono<String> services(ConsoleUser user, Model model, String view) {
        Mono<JsonNode> services = api.get(user, "/api/v1/registry/services");
        Mono<List<Replicas>> suite = Flux.fromIterable(SUITE)
                .concatMap(service -> api.get(user, "/api/v1/registry/services/" + service + "/instances")
                        .map(instances -> new Replicas(service, instances)))
                .collectList();
        return Mono.zip(services, suite)
                .doOnNext(both -> {
                    model.addAttribute("services", both.getT1().path("services"));
                    model.addAttribute("suite", both.getT2());
                })
                .thenReturn(view);
    }

    /** The counts and the chart; a count the key may not read is left out, the chart too. */
    private Mono<String> activity(ConsoleUser user, Model model, String view) {
        model.addAttribute("watchExecutions", EXECUTIONS);
        Mono<List<Long>> leases = Flux.fromIterable(LEASE_KINDS)
                .concatMap(kind -> api.get(user, "/api/v1/" + kind + "?limit=1")
                        .map(page -> page.path("leases").asLong())
                        .onErrorResume(ConsoleApiException.class, e -> Mono.empty()))
                .collectList();
        Mono<JsonNode> executions = api.get(user, EXECUTIONS)
                .onErrorResume(ConsoleApiException.class, e -> Mono.empty())
                .defaultIfEmpty(MissingNode.getInstance());
        return Mono.zip(leases, executions)
                .doOnNext(both -> model.addAttribute(
                        "activity",
                        new Activity(
                                both.getT1().isEmpty()
                                        ? null
                                        : both.getT1().stream()
                                                .mapToLong(Long::longValue)
                                                .sum(),
                                both.getT2())))
                .thenReturn(view);
    }

    /** A suite service and its registered instances, healthy or, while it is protected, not. */
    record Replicas(String service, JsonNode instances) {}

    /**
     * The suite's activity as the key sees it.
     *
     * @param leases the valid leases of the lease kinds the key may list, or null when it may list none
     * @param executions the scheduler's summary, or a missing node when the key may not read it
     */
    record Activity(Long leases, JsonNode executions) {}
}
