package dev.baton.common.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.web.util.UriUtils;

/**
 * Which named resource a request touches, read from its path, and whether the caller's scopes
 * reach it: the same rule in every service, on its lease routes and in the gateway. Pure and
 * thread-safe; it costs a split of the path, no lookup.
 *
 * <p>A request for one name needs a scope whose prefix starts that name; a list needs one that
 * starts the prefix it lists; a request whose name the path does not hold (a job by its id) needs
 * only the kind, and its service checks the name. A config write ({@code PUT} or {@code DELETE}
 * under {@code /api/v1/config/}) needs {@link Role#ADMIN}, or a {@code config} scope that names the
 * namespace: a key without scopes reaches every namespace, but may write none without ADMIN.
 */
public final class ScopeRules {

    /**
     * What a request touches.
     *
     * @param kind the resource kind
     * @param names the names it reads or changes, or the prefix it lists; empty when the path holds none
     * @param configWrite whether it changes config
     */
    public record Target(ResourceKind kind, List<String> names, boolean configWrite) {

        /** The name the audit log records: the first of {@link #names}, or null. */
        public String name() {
            return names.isEmpty() ? null : names.get(0);
        }
    }

    /**
     * Why a request is out of the caller's reach.
     *
     * @param kind the kind of the missing scope
     * @param name the name it lacks, or null when the key has no scope of the kind at all
     * @param detail the problem's detail
     */
    public record Refusal(ResourceKind kind, String name, String detail) {}

    private ScopeRules() {}

    /**
     * What the request touches, or null for a path that names no resource.
     *
     * @param path the request's raw path, percent-encoded as sent
     * @param query a query parameter's first value by name, or null
     */
    public static Target target(String method, String path, UnaryOperator<String> query) {
        if (!path.startsWith("/api/v1/")) {
            return null;
        }
        String[] parts = path.split("/", -1);
        if (parts.length < 4) {
            return null;
        }
        return switch (parts[3]) {
            case "locks" -> named(ResourceKind.LOCKS, parts, 4, query);
            case "semaphores" -> named(ResourceKind.SEMAPHORES, parts, 4, query);
            case "elections" -> named(ResourceKind.ELECTIONS, parts, 4, query);
            case "registry" ->
                parts.length > 4 && parts[4].equals("services") ? named(ResourceKind.SERVICES, parts, 5, query) : null;
            case "config" ->
                parts.length > 4 && !parts[4].isEmpty()
                        ? new Target(
                                ResourceKind.CONFIG,
                                List.of(decode(parts[4])),
                                "PUT".equals(method) || "DELETE".equals(method))
                        : new Target(ResourceKind.CONFIG, List.of(), false);
            case "config-server" -> configServer(parts);
            case "jobs", "executions" -> new Target(ResourceKind.JOBS, List.of(), false);
            case "workflows", "workflow-runs" -> new Target(ResourceKind.WORKFLOWS, List.of(), false);
            default -> null;
        };
    }

    /** Null when {@code caller} may make the request, else why not. */
    public static Refusal check(ApiKeyPrincipal caller, String method, String path, UnaryOperator<String> query) {
        Target target = target(method, path, query);
        if (target == null) {
            return null;
        }
        Scopes scopes = caller.scopes();
        String kind = target.kind().key();
        if (!scopes.reaches(target.kind())) {
            return new Refusal(target.kind(), null, "The API key '" + caller.name() + "' has no " + kind + " scope.");
        }
        for (String name : target.names()) {
            Refusal refusal = check(caller, target.kind(), name);
            if (refusal != null) {
                return refusal;
            }
        }
        if (target.configWrite()
                && !caller.roles().contains(Role.ADMIN)
                && !scopes.grants(ResourceKind.CONFIG, target.name())) {
            return new Refusal(
                    ResourceKind.CONFIG,
                    target.name(),
                    "A config write needs ADMIN, or WRITE with "
                            + "the namespace in the key's config scope; the API key '" + caller.name()
                            + "' has no config scope for '" + target.name() + "'.");
        }
        return null;
    }

    /** Null when {@code caller}'s scopes reach the name {@code name} of {@code kind}, else why not. */
    public static Refusal check(ApiKeyPrincipal caller, ResourceKind kind, String name) {
        if (caller.scopes().permits(kind, name)) {
            return null;
        }
        return new Refusal(
                kind, name, "The API key '" + caller.name() + "' has no " + kind.key() + " scope for '" + name + "'.");
    }

    private static Target named(ResourceKind kind, String[] parts, int at, UnaryOperator<String> query) {
        if (parts.length > at && !parts[at].isEmpty()) {
            return new Target(kind, List.of(decode(parts[at])), false);
        }
        String prefix = query.apply("prefix");
        return new Target(kind, List.of(prefix == null ? "" : prefix), false);
    }

    /** The Config Server format reads {@code application}, {@code {app}} and {@code {app}-{profile}} for each profile. */
    private static Target configServer(String[] parts) {
        if (parts.length < 6) {
            return new Target(ResourceKind.CONFIG, List.of(), false);
        }
        String application = decode(parts[4]);
        List<String> names = new ArrayList<>(List.of(application, "application"));
        for (String profile : decode(parts[5]).split(",")) {
            names.add(application + "-" + profile);
        }
        return new Target(ResourceKind.CONFIG, names, false);
    }

    private static String decode(String segment) {
        try {
            return UriUtils.decode(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
