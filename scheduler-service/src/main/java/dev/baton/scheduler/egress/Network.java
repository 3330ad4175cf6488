package dev.baton.scheduler.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** A block of IPv4 or IPv6 addresses: a base address and a prefix length. Immutable. */
record Network(byte[] base, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Whether the text is an IP address literal (IPv6 with or without brackets), which needs no lookup. */
    static boolean isLiteral(String text) {
        return IPV4.matcher(text).matches() || text.contains(":");
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code fd00::/8} or a single address.
     *
     * @throws IllegalArgumentException when it is none of these
     */
    static Network parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!isLiteral(address)) {
            throw new IllegalArgumentException("'" + text + "' is not an address or CIDR");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address or CIDR");
        }
        int bits = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0 to " + bits);
        }
        return new Network(bytes, prefix);
    }

    /**
     * The IPv4 address an IPv4-compatible IPv6 address ({@code ::127.0.0.1}) carries, else the
     * address itself; {@code ::} and {@code ::1} are IPv6's own. (Java turns IPv4-mapped ones,
     * {@code ::ffff:127.0.0.1}, into IPv4 addresses itself.)
     */
    static InetAddress unwrap(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address v6
                && v6.isIPv4CompatibleAddress()
                && (bytes[12] | bytes[13] | bytes[14] | (bytes[15] & 0xfe)) != 0) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are an IPv4 address", e);
            }
        }
        return address;
    }

    boolean contains(InetAddress address) {
        return contains(unwrap(address).getAddress());
    }

    /** Whether every address of {@code other} is in this block. */
    boolean covers(Network other) {
        return other.prefix >= prefix && contains(other.base);
    }

    private boolean contains(byte[] bytes) {
        if (bytes.length != base.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != base[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        int mask = rest == 0 ? 0 : (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (bytes[whole] & mask) == (base[whole] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Network network && prefix == network.prefix && Arrays.equals(base, network.base);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(base) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(base).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a parsed address", e);
        }
    }
}
