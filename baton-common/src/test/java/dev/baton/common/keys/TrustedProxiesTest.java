package dev.baton.common.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which part of a request's forwarded chain the audit log believes. */
class TrustedProxiesTest {

    private static TrustedProxies trusting(String... entries) {
        return TrustedProxies.of(List.of(entries), Duration.ofMinutes(1));
    }

    @Test
    void with_none_trusted_the_sender_is_the_peer_whatever_the_client_forwarded() {
        assertThat(TrustedProxies.NONE.sender("198.51.100.7, 10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(trusting().sender("198.51.100.7, 10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(TrustedProxies.NONE.sender("10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(TrustedProxies.NONE.sender(null)).isNull();
    }

    @Test
    void a_trusted_peer_vouches_for_the_hop_before_it_and_no_further_than_an_untrusted_one() {
        TrustedProxies proxies = trusting("10.0.0.0/8", "192.168.1.1");

        assertThat(proxies.sender("203.0.113.9, 10.1.2.3")).isEqualTo("203.0.113.9, 10.1.2.3");
        assertThat(proxies.sender("198.51.100.7, 203.0.113.9, 10.1.2.3")).isEqualTo("203.0.113.9, 10.1.2.3");
        assertThat(proxies.sender("198.51.100.7, 203.0.113.9, 192.168.1.1, 10.1.2.3"))
                .isEqualTo("203.0.113.9, 192.168.1.1, 10.1.2.3");
        assertThat(proxies.sender("203.0.113.9, 192.168.1.2")).isEqualTo("192.168.1.2");
        assertThat(proxies.sender("10.9.9.9, 10.1.2.3")).as("every hop trusted").isEqualTo("10.9.9.9, 10.1.2.3");
    }

    @Test
    void ipv6_networks_and_ipv4_mapped_peers_match_and_garbage_never_does() {
        TrustedProxies proxies = trusting("fd00::/8", "::1", "127.0.0.1");

        assertThat(proxies.trusts("fd12:3456::1")).isTrue();
        assertThat(proxies.trusts("[fd12:3456::1]")).isTrue();
        assertThat(proxies.trusts("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(proxies.trusts("::ffff:127.0.0.1")).isTrue();
        assertThat(proxies.trusts("fe80::1")).isFalse();
        assertThat(proxies.trusts("127.0.0.2")).isFalse();
        for (String garbage : List.of("localhost", "unknown", "127.0.0.1:8080", "1:2", "::1::", "256.0.0.1", "")) {
            assertThat(proxies.trusts(garbage)).as(garbage).isFalse();
        }
    }

    @Test
    void a_host_name_is_trusted_as_the_addresses_it_resolves_to() {
        try (TrustedProxies proxies = trusting("localhost")) {
            assertThat(proxies.trusts("127.0.0.1")).isTrue();
            assertThat(proxies.trusts("10.0.0.1")).isFalse();
            assertThat(proxies.sender("203.0.113.9, 127.0.0.1")).isEqualTo("203.0.113.9, 127.0.0.1");
        }
    }

    @Test
    void an_entry_that_is_no_address_cidr_or_name_is_refused() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "1:2", " ")) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> trusting(bad));
        }
    }
}
