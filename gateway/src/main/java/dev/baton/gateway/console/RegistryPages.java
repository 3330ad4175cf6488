package dev.baton.gateway.console;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

/** The registry: services, then a service's instances, which a WRITE key may deregister. */
@Controller
@RequestMapping(ConsoleFilter.ROOT + "/registry")
class RegistryPages {

    private final ConsoleApi api;

    RegistryPages(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping
    Mono<String> services(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, Model model) {
        return services(user, model, "console/registry");
    }

    @GetMapping("/services")
    Mono<String> servicesFragment(@RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, Model model) {
        return services(user, model, "console/registry :: services");
    }

    @GetMapping("/service")
    Mono<String> service(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String name, Model model) {
        return instances(user, name, model, "console/registry-service");
    }

    @GetMapping("/service/instances")
    Mono<String> instancesFragment(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user, @RequestParam String name, Model model) {
        return instances(user, name, model, "console/registry-service :: instances");
    }

    @PostMapping("/service/deregister")
    Mono<String> deregister(
            @RequestAttribute(ConsoleUser.ATTRIBUTE) ConsoleUser user,
            @RequestParam String name,
            @RequestParam String instance,
            Model model) {
        return api.send(user, HttpMethod.DELETE, instancePath(name) + "/" + ConsoleApi.segment(instance), null)
                .then(instances(user, name, model, "console/registry-service :: instances"));
    }

    private Mono<String> services(ConsoleUser user, Model model, String view) {
        return api.get(user, "/api/v1/registry/services")
                .doOnNext(body -> model.addAttribute("services", body.path("services")))
                .thenReturn(view);
    }

    /** A service's instances, which follow their blocking query. */
    private Mono<String> instances(ConsoleUser user, String name, Model model, String view) {
        model.addAttribute("name", name);
        model.addAttribute("watch", instancePath(name));
        model.addAttribute("mayDeregister", user.may("DELETE", instancePath(name) + "/any"));
        return api.get(user, instancePath(name))
                .doOnNext(instances -> model.addAttribute("instances", instances))
                .thenReturn(view);
    }

    private static String instancePath(String service) {
        return "/api/v1/registry/services/" + ConsoleApi.segment(service) + "/instances";
    }
}
