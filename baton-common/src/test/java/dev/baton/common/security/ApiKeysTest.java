package dev.baton.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static ApiKeyProperties.Key key(String name, String secret, Role... roles) {
        return new ApiKeyProperties.Key(name, ApiKeys.sha256(secret), Set.of(roles), null);
    }

    @Test
    void sha256_matches_what_sha256sum_prints() {
        // printf %s baton | sha256sum
        assertThat(ApiKeys.sha256("baton"))
                .isEqualTo("418c01e890606d2da936e53e1c58b165991c3c447a47b9428cb4d46829509233");
        assertThat(ApiKeys.sha256("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void a_configured_key_authenticates_with_its_implied_roles() {
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(List.of(key("ops", "s3cret", Role.WRITE))));

        assertThat(keys.authenticate("s3cret")).get().satisfies(holder -> {
            assertThat(holder.name()).isEqualTo("ops");
            assertThat(holder.roles()).containsExactlyInAnyOrder(Role.READ, Role.WRITE);
        });
        assertThat(keys.authenticate("s3cret ")).isEmpty();
        assertThat(keys.authenticate("other")).isEmpty();
    }

    @Test
    void two_names_for_one_key_are_refused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ApiKeys(
                        new ApiKeyProperties(List.of(key("a", "same", Role.READ), key("b", "same", Role.ADMIN)))));
    }

    @Test
    void presented_key_comes_from_bearer_first_then_x_api_key() {
        assertThat(ApiKeys.presentedKey("Bearer abc", "xyz")).isEqualTo("abc");
        assertThat(ApiKeys.presentedKey("bearer abc", null)).isEqualTo("abc");
        assertThat(ApiKeys.presentedKey(null, " xyz ")).isEqualTo("xyz");
        assertThat(ApiKeys.presentedKey("Basic dXNlcjpwYXNz", "xyz")).isEqualTo("xyz");
        assertThat(ApiKeys.presentedKey("Bearer ", null)).isNull();
        assertThat(ApiKeys.presentedKey(null, null)).isNull();
    }
}
