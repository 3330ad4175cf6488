package dev.baton.scheduler.egress;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decides which addresses the scheduler may call, so that a job cannot make it reach what only
 * its own pod can: a job's {@code url} target must be in {@code baton.scheduler.egress.allow}, and
 * no call, to a URL or to an instance from the registry, reaches a loopback, link-local or cloud
 * metadata address unless an entry within that address's own range lists it. The host is resolved
 * and every address it resolves to is checked, at each call as well as when a job is saved, so a
 * name that is later pointed elsewhere is caught at the next call. Thread-safe.
 */
@Component
public class EgressPolicy {

    /** The ranges refused unless listed from within, and what each is. */
    private static final Map<Network, String> SPECIAL = Map.of(
            Network.parse("0.0.0.0/8"), "an unspecified address (this host)",
            Network.parse("127.0.0.0/8"), "a loopback address",
            Network.parse("169.254.0.0/16"), "a link-local address (cloud metadata among them)",
            Network.parse("100.100.100.200"), "a cloud metadata address",
            Network.parse("::/128"), "an unspecified address (this host)",
            Network.parse("::1/128"), "a loopback address",
            Network.parse("fe80::/10"), "a link-local address",
            Network.parse("fd00:ec2::254"), "a cloud metadata address");

    /** Names of metadata services that resolve to them only where they run. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal");

    /** Resolves a host name to its addresses: the system's resolver, but for tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<String> exactNames = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();
    private final List<Network> networks = new ArrayList<>();
    private final Resolver resolver;

    @Autowired
    public EgressPolicy(EgressProperties properties) {
        this(properties, InetAddress::getAllByName);
    }

    EgressPolicy(EgressProperties properties, Resolver resolver) {
        this.resolver = resolver;
        for (String entry : properties.allow()) {
            String text = entry.trim().toLowerCase(Locale.ROOT);
            if (text.isEmpty()) {
                continue;
            }
            if (text.startsWith("*.") && text.length() > 2) {
                suffixes.add(text.substring(1));
            } else if (Network.isLiteral(text) || text.contains("/")) {
                try {
                    networks.add(Network.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("baton.scheduler.egress.allow: " + e.getMessage(), e);
                }
            } else if (text.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                exactNames.add(text);
            } else {
                throw new IllegalArgumentException(
                        "baton.scheduler.egress.allow: '" + entry + "' is not a host name, *.domain, address or CIDR");
            }
        }
    }

    /** Why a job's {@code url} target may not be called, if it may not: it must be allowed. */
    public Optional<String> refusalOfUrl(URI url) {
        return refusal(url, true);
    }

    /** Why an instance the registry lists may not be called, if it may not. */
    public Optional<String> refusalOfInstance(URI instance) {
        return refusal(instance, false);
    }

    private Optional<String> refusal(URI uri, boolean mustBeAllowed) {
        String given = uri.getHost();
        if (given == null) {
            return Optional.of("has no host");
        }
        String host = given.startsWith("[") && given.endsWith("]") ? given.substring(1, given.length() - 1) : given;
        String lower = host.toLowerCase(Locale.ROOT);
        String name = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        boolean literal = Network.isLiteral(name);
        if (!literal && METADATA_NAMES.contains(name) && !exactNames.contains(name)) {
            return Optional.of("'" + host + "' is a cloud metadata host, called only when baton.scheduler.egress.allow "
                    + "names it");
        }
        boolean nameAllowed =
                !literal && (exactNames.contains(name) || suffixes.stream().anyMatch(suffix -> name.endsWith(suffix)));
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.of("'" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> special = special(address);
            if (special.isPresent()) {
                return special.map(what -> "'" + host + "' " + (literal ? "is " : "resolves to ") + what + " ("
                        + address.getHostAddress() + "), called only when an entry of baton.scheduler.egress.allow "
                        + "within its range lists it");
            }
            if (mustBeAllowed && !nameAllowed && networks.stream().noneMatch(network -> network.contains(address))) {
                return Optional.of("'" + host + "'" + (literal ? "" : " (" + address.getHostAddress() + ")")
                        + " is not in baton.scheduler.egress.allow");
            }
        }
        return Optional.empty();
    }

    /** What special range the address is in, unless an entry within that range lists it. */
    private Optional<String> special(InetAddress address) {
        for (Map.Entry<Network, String> range : SPECIAL.entrySet()) {
            if (range.getKey().contains(address)) {
                boolean listed = networks.stream()
                        .anyMatch(network -> range.getKey().covers(network) && network.contains(address));
                return listed ? Optional.empty() : Optional.of(range.getValue());
            }
        }
        return Optional.empty();
    }
}
