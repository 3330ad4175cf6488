package dev.baton.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

    private static ApiKeyPrincipal created(String name, Role role, Instant expiresAt) {
        return new ApiKeyPrincipal(name, role.withImplied(), Scopes.ALL, UUID.randomUUID(), expiresAt);
    }

    @Test
    void a_key_accepted_before_is_refused_once_revoked_and_answers_its_new_holder_once_replaced() {
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(List.of()));
        List<UUID> used = new ArrayList<>();
        keys.onRuntimeKeyUse(used::add);
        ApiKeyPrincipal first = created("first", Role.READ, null);
        keys.replaceRuntimeKeys(Map.of(ApiKeys.sha256("k1"), first));

        assertThat(keys.authenticate("k1")).contains(first);
        assertThat(keys.authenticate("k1")).contains(first);
        assertThat(keys.keptDigests()).isEqualTo(1);

        ApiKeyPrincipal second = created("second", Role.ADMIN, null);
        keys.replaceRuntimeKeys(Map.of(ApiKeys.sha256("k1"), second));
        assertThat(keys.authenticate("k1")).contains(second);

        keys.replaceRuntimeKeys(Map.of());
        assertThat(keys.authenticate("k1")).isEmpty();
        assertThat(used).containsExactly(first.id(), first.id(), second.id());
    }

    @Test
    void a_key_accepted_before_is_refused_once_past_its_expiry() {
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(List.of()));
        Map<String, ApiKeyPrincipal> created = Map.of(
                ApiKeys.sha256("k1"),
                created("expiring", Role.WRITE, Instant.now().plusSeconds(3600)));
        keys.replaceRuntimeKeys(created);
        assertThat(keys.authenticate("k1")).isPresent();

        keys.replaceRuntimeKeys(created, Duration.ofHours(2));
        assertThat(keys.authenticate("k1")).isEmpty();
    }

    @Test
    void only_accepted_keys_keep_their_digest_and_no_more_than_the_bound() {
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(List.of(key("ops", "s3cret", Role.WRITE))));
        assertThat(keys.authenticate("unknown")).isEmpty();
        assertThat(keys.keptDigests()).isZero();

        Map<String, ApiKeyPrincipal> created = new HashMap<>();
        int count = ApiKeys.KEPT_DIGESTS + 100;
        for (int i = 0; i < count; i++) {
            created.put(ApiKeys.sha256("key-" + i), created("key-" + i, Role.READ, null));
        }
        keys.replaceRuntimeKeys(created);
        assertThat(keys.authenticate("s3cret")).isPresent();
        for (int i = 0; i < count; i++) {
            assertThat(keys.authenticate("key-" + i))
                    .get()
                    .extracting(ApiKeyPrincipal::name)
                    .isEqualTo("key-" + i);
        }
        assertThat(keys.keptDigests()).isEqualTo(ApiKeys.KEPT_DIGESTS);
        assertThat(keys.authenticate("s3cret"))
                .get()
                .extracting(ApiKeyPrincipal::name)
                .isEqualTo("ops");
        assertThat(keys.authenticate("key-0"))
                .get()
                .extracting(ApiKeyPrincipal::name)
                .isEqualTo("key-0");
        assertThat(keys.keptDigests()).isEqualTo(ApiKeys.KEPT_DIGESTS);
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
