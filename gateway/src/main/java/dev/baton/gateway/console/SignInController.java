package dev.baton.gateway.console;

import dev.baton.common.security.ApiKeys;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Signing in with an API key, and out. */
@Controller
@RequestMapping(ConsoleFilter.ROOT)
class SignInController {

    private final ApiKeys keys;
    private final SessionCookies cookies;
    private final ConsoleFilter filter;

    SignInController(ApiKeys keys, SessionCookies cookies, ConsoleFilter filter) {
        this.keys = keys;
        this.cookies = cookies;
        this.filter = filter;
    }

    @GetMapping("/sign-in")
    String signInPage() {
        return "console/sign-in";
    }

    /** A known key starts a session; any other is refused with 401 and the page again. */
    @PostMapping("/sign-in")
    Mono<String> signIn(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().map(form -> {
            String key = form.getFirst("key");
            if (key == null || keys.authenticate(key.strip()).isEmpty()) {
                exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
                model.addAttribute("refused", true);
                return "console/sign-in";
            }
            filter.set(exchange, cookies.seal(cookies.create(key.strip(), Instant.now())));
            return "redirect:" + ConsoleFilter.ROOT;
        });
    }

    @PostMapping("/sign-out")
    String signOut(ServerWebExchange exchange) {
        filter.clear(exchange);
        return "redirect:" + ConsoleFilter.SIGN_IN;
    }
}
