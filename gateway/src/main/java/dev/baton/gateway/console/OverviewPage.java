package dev.baton.gateway.console;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The overview: the suite's own replicas, and every registered service with its healthy count. */
@Controller
@RequestMapping(ConsoleFilter.ROOT)
class OverviewPage {

    /**
     * The suite's services that register themselves; the registry is not among them, and is up
     * when it answers the page's listing.
     */
    static final List<String> SUITE = List.of("lock-service", "scheduler-service", "gateway");

    private final ConsoleApi api;

    OverviewPage(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping({"", "/"})
    Mono<String> overview(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, Model model) {
        return services(user, model).thenReturn("console/overview");
    }

    @GetMapping("/overview/services")
    Mono<String> servicesFragment(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, Model model) {
        return services(user, model).thenReturn("console/overview :: services");
    }

    private Mono<Void> services(ConsoleUser user, Model model) {
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
                .then();
    }

    /** A suite service and its registered instances, healthy or, while it is protected, not. */
    record Replicas(String service, JsonNode instances) {}
}
