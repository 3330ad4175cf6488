package dev.baton.common.keys;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxies whose {@code X-Forwarded-For} the audit log believes ({@code baton.security.trusted-proxies}):
 * addresses, CIDRs, and host names, which a thread of its own resolves again every refresh
 * interval (a Kubernetes headless Service names every pod behind it). A request's sender is read
 * from the right of its chain, the peer last: each hop a trusted proxy vouches for the one before
 * it, and the first hop no trusted proxy vouches for is the sender; what stands before it is as
 * the client wrote it, and dropped. With none trusted, the sender is the peer. Matching parses
 * address literals only, never looks a name up, and takes no lock. Thread-safe.
 */
public final class TrustedProxies implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrustedProxies.class);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

    /** None trusted: the sender is always the peer. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of(), null);

    /** A block of addresses, one address when {@code prefix} is all its bits. */
    private record Network(byte[] base, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != base.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != base[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (base[whole] & mask);
        }
    }

    private final List<Network> networks;
    private final List<String> names;
    private final ScheduledExecutorService resolver;
    private volatile Map<String, List<Network>> resolved = Map.of();

    private TrustedProxies(List<Network> networks, List<String> names, ScheduledExecutorService resolver) {
        this.networks = networks;
        this.names = names;
        this.resolver = resolver;
    }

    /**
     * The proxies these entries name; names are resolved now, then every {@code refresh}.
     *
     * @throws IllegalArgumentException for an entry that is blank, or a CIDR that is not one
     */
    public static TrustedProxies of(List<String> entries, Duration refresh) {
        List<Network> networks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String entry : entries) {
            String text = entry == null ? "" : entry.trim();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("baton.security.trusted-proxies has a blank entry");
            }
            Network network = network(text);
            if (network != null) {
                networks.add(network);
            } else if (text.contains("/") || text.contains(":")) {
                throw new IllegalArgumentException(
                        "baton.security.trusted-proxies: '" + text + "' is neither an address, a CIDR nor a host name");
            } else {
                names.add(text);
            }
        }
        if (names.isEmpty()) {
            return networks.isEmpty() ? NONE : new TrustedProxies(List.copyOf(networks), List.of(), null);
        }
        ScheduledExecutorService resolver = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "trusted-proxies-resolver");
            thread.setDaemon(true);
            return thread;
        });
        TrustedProxies proxies = new TrustedProxies(List.copyOf(networks), List.copyOf(names), resolver);
        proxies.resolve();
        resolver.scheduleWithFixedDelay(
                proxies::resolve, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
        return proxies;
    }

    /**
     * The part of a request's chain that trusted proxies vouch for: from the first hop, counted
     * from the right, that no trusted proxy forwarded, to the peer.
     *
     * @param chain the {@code X-Forwarded-For} entries then the peer, comma-separated, as
     *        {@link AuditLog#remoteAddress} joins them; null when the peer is unknown
     */
    public String sender(String chain) {
        if (chain == null || chain.indexOf(',') < 0) {
            return chain;
        }
        String[] hops = chain.split(",", -1);
        int first = hops.length - 1;
        while (first > 0 && trusts(hops[first].trim())) {
            first--;
        }
        StringBuilder sender = new StringBuilder(hops[first].trim());
        for (int i = first + 1; i < hops.length; i++) {
            sender.append(", ").append(hops[i].trim());
        }
        return sender.toString();
    }

    /** Whether {@code address}, an address literal, is a trusted proxy; false for anything else. */
    boolean trusts(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Network network : networks) {
            if (network.contains(bytes)) {
                return true;
            }
        }
        for (List<Network> addresses : resolved.values()) {
            for (Network network : addresses) {
                if (network.contains(bytes)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Resolves every name again; a name that does not resolve now keeps what it last resolved to. */
    private void resolve() {
        Map<String, List<Network>> now = new HashMap<>();
        for (String name : names) {
            try {
                List<Network> addresses = new ArrayList<>();
                for (InetAddress address : InetAddress.getAllByName(name)) {
                    byte[] bytes = address.getAddress();
                    addresses.add(new Network(bytes, bytes.length * 8));
                }
                now.put(name, List.copyOf(addresses));
            } catch (UnknownHostException e) {
                log.warn("Trusted proxy '{}' does not resolve now; it keeps the addresses it had", name);
                now.put(name, resolved.getOrDefault(name, List.of()));
            }
        }
        resolved = Map.copyOf(now);
    }

    /** A CIDR or a single address, or null when the text is neither. */
    private static Network network(String text) {
        int slash = text.indexOf('/');
        byte[] base = literal(slash < 0 ? text : text.substring(0, slash));
        if (base == null) {
            return null;
        }
        int bits = base.length * 8;
        if (slash < 0) {
            return new Network(base, bits);
        }
        try {
            int prefix = Integer.parseInt(text.substring(slash + 1));
            if (prefix >= 0 && prefix <= bits) {
                return new Network(base, prefix);
            }
        } catch (NumberFormatException e) {
            // Refused by the caller, as any entry that is not an address, a CIDR or a name.
        }
        return null;
    }

    /**
     * The bytes of an IPv4 or IPv6 address literal (brackets allowed), an IPv4-mapped IPv6
     * address as its IPv4 address; null for anything else. Parsed here, so no text is ever looked up.
     */
    static byte[] literal(String text) {
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.indexOf(':') < 0) {
            return ipv4(text);
        }
        byte[] v6 = ipv6(text);
        if (v6 != null && isIpv4Mapped(v6)) {
            return Arrays.copyOfRange(v6, 12, 16);
        }
        return v6;
    }

    private static byte[] ipv4(String text) {
        var matcher = IPV4.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int part = Integer.parseInt(matcher.group(i + 1));
            if (part > 255) {
                return null;
            }
            bytes[i] = (byte) part;
        }
        return bytes;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap));
        List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int count = head.size() + tail.size();
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            bytes[2 * i] = (byte) (head.get(i) >> 8);
            bytes[2 * i + 1] = (byte) (int) head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            int at = 8 - tail.size() + i;
            bytes[2 * at] = (byte) (tail.get(i) >> 8);
            bytes[2 * at + 1] = (byte) (int) tail.get(i);
        }
        return bytes;
    }

    /** The 16-bit groups of a part of an IPv6 literal, a dotted IPv4 tail as two; null when malformed. */
    private static List<Integer> groups(String part) {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        String[] pieces = part.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                byte[] v4 = ipv4(piece);
                if (v4 == null) {
                    return null;
                }
                groups.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                groups.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
            } else if (HEX_GROUP.matcher(piece).matches()) {
                groups.add(Integer.parseInt(piece, 16));
            } else {
                return null;
            }
        }
        return groups;
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
    }

    /** Stops resolving names. */
    @Override
    public void close() {
        if (resolver != null) {
            resolver.shutdownNow();
        }
    }
}
