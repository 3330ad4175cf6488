package dev.baton.scheduler.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The allowlist's rules, on addresses and on names resolved by a table instead of DNS. */
class EgressPolicyTest {

    private static final Map<String, String> DNS = Map.of(
            "reports.example.com", "10.9.9.9",
            "rebound.example.com", "169.254.169.254",
            "example.com", "93.184.215.14",
            "localhost", "127.0.0.1");

    private static EgressPolicy policy(String... allow) {
        return new EgressPolicy(new EgressProperties(List.of(allow)), host -> {
            String address = DNS.get(host);
            if (address == null) {
                if (host.contains(":") || host.matches("[0-9.]+")) {
                    return new InetAddress[] {InetAddress.getByName(host)};
                }
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        });
    }

    private static String urlRefusal(EgressPolicy policy, String url) {
        return policy.refusalOfUrl(URI.create(url)).orElse(null);
    }

    @Test
    void by_default_no_url_is_called_and_metadata_loopback_and_link_local_say_what_they_are() {
        EgressPolicy policy = policy();

        assertThat(urlRefusal(policy, "http://169.254.169.254/latest/meta-data/"))
                .contains("link-local");
        assertThat(urlRefusal(policy, "http://127.0.0.1:1/")).contains("loopback");
        assertThat(urlRefusal(policy, "http://[::1]:8080/")).contains("loopback");
        assertThat(urlRefusal(policy, "http://[::ffff:127.0.0.1]/")).contains("loopback");
        assertThat(urlRefusal(policy, "http://[::127.0.0.1]/")).contains("loopback");
        assertThat(urlRefusal(policy, "http://0.0.0.0:8083/")).contains("unspecified");
        assertThat(urlRefusal(policy, "http://[fd00:ec2::254]/")).contains("metadata");
        assertThat(urlRefusal(policy, "http://100.100.100.200/")).contains("metadata");
        assertThat(urlRefusal(policy, "http://metadata.google.internal/")).contains("metadata host");
        assertThat(urlRefusal(policy, "http://localhost:8083/")).contains("resolves to a loopback address");
        assertThat(urlRefusal(policy, "http://10.1.2.3/")).contains("not in baton.scheduler.egress.allow");
        assertThat(urlRefusal(policy, "http://nowhere.invalid/")).contains("does not resolve");
    }

    @Test
    void hosts_suffixes_addresses_and_networks_are_allowed_as_listed() {
        EgressPolicy policy = policy("10.0.0.0/8", "*.example.com", "fd00::/8", "127.0.0.1");

        assertThat(urlRefusal(policy, "http://10.1.2.3:9000/run")).isNull();
        assertThat(urlRefusal(policy, "https://reports.example.com/hook")).isNull();
        assertThat(urlRefusal(policy, "http://[fd12::5]/")).isNull();
        assertThat(urlRefusal(policy, "http://127.0.0.1:1/")).isNull();
        assertThat(urlRefusal(policy, "http://127.0.0.2/"))
                .as("only .1 is listed")
                .contains("loopback");
        assertThat(urlRefusal(policy, "http://example.com/"))
                .as("the apex is not below itself")
                .contains("not in baton.scheduler.egress.allow");
        assertThat(urlRefusal(policy, "http://11.0.0.1/")).contains("not in baton.scheduler.egress.allow");
    }

    @Test
    void an_allowed_name_that_resolves_to_a_metadata_address_is_refused() {
        assertThat(urlRefusal(policy("*.example.com"), "http://rebound.example.com/"))
                .contains("resolves to a link-local");
    }

    @Test
    void a_special_address_is_listed_only_from_within_its_own_range() {
        EgressPolicy everything = policy("0.0.0.0/0", "::/0");

        assertThat(urlRefusal(everything, "http://8.8.8.8/")).isNull();
        assertThat(urlRefusal(everything, "http://127.0.0.1/")).contains("loopback");
        assertThat(urlRefusal(everything, "http://169.254.169.254/")).contains("link-local");
        assertThat(urlRefusal(everything, "http://[::1]/")).contains("loopback");
        assertThat(urlRefusal(policy("169.254.169.254", "metadata.google.internal"), "http://169.254.169.254/"))
                .isNull();
    }

    @Test
    void a_registry_instance_needs_no_listing_but_is_not_called_on_special_addresses() {
        EgressPolicy policy = policy();

        assertThat(policy.refusalOfInstance(URI.create("http://10.1.2.3:8080"))).isEmpty();
        assertThat(policy.refusalOfInstance(URI.create("http://127.0.0.1:8080")))
                .get()
                .asString()
                .contains("loopback");
        assertThat(policy.refusalOfInstance(URI.create("http://169.254.169.254:80")))
                .get()
                .asString()
                .contains("link-local");
        assertThat(policy("127.0.0.0/8").refusalOfInstance(URI.create("http://127.0.0.1:8080")))
                .isEmpty();
    }

    @Test
    void an_entry_that_is_no_host_address_or_cidr_stops_the_start_up() {
        for (String entry : List.of("10.0.0.0/33", "10.0.0.0/x", "exa mple.com", "http://x")) {
            assertThatThrownBy(() -> policy(entry))
                    .as(entry)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("baton.scheduler.egress.allow");
        }
    }
}
