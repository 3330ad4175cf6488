package dev.baton.common.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StorableTextTest {

    private static final JsonMapper JSON =
            JsonMapper.builder().addModule(new StorableTextModule()).build();

    record Inner(String text, List<String> texts, Map<String, String> labels, JsonNode payload) {}

    record Outer(String owner, Inner inner, List<Inner> items) {}

    @Test
    void text_with_nul_or_an_unpaired_surrogate_is_flawed_and_paired_surrogates_are_not() {
        assertThat(StorableText.flaw("plain, ünïcode and 😀")).isNull();
        assertThat(StorableText.flaw("a\u0000b")).contains("U+0000");
        assertThat(StorableText.flaw("a\ud800")).contains("unpaired surrogate (U+D800)");
        assertThat(StorableText.flaw("\udc00a")).contains("U+DC00");
        assertThat(StorableText.flaw("\ud83d\ud83d\ude00")).contains("U+D83D");
    }

    @Test
    void every_string_of_a_body_is_checked_wherever_it_sits() {
        assertThat(JSON.readValue("""
                {"owner":"o","inner":{"text":"t","texts":["a"],"labels":{"k":"v"},"payload":{"a":["b"]}}}""", Outer.class)
                        .inner()
                        .payload()
                        .path("a")
                        .get(0)
                        .stringValue())
                .isEqualTo("b");
        assertRefused("{\"owner\":\"a\\u0000\"}", "owner", "U+0000");
        assertRefused("{\"owner\":\"\\ud800\"}", "owner", "U+D800");
        assertRefused("{\"inner\":{\"text\":\"\\u0000\"}}", "inner.text", "U+0000");
        assertRefused("{\"inner\":{\"texts\":[\"ok\",\"\\udfff\"]}}", "inner.texts[1]", "U+DFFF");
        assertRefused("{\"inner\":{\"labels\":{\"k\":\"\\u0000\"}}}", "inner.labels.k", "U+0000");
        assertRefused("{\"inner\":{\"labels\":{\"\\u0000\":\"v\"}}}", "inner.labels", "key");
        assertRefused("{\"inner\":{\"payload\":{\"a\":[1,{\"b\":\"\\u0000\"}]}}}", "inner.payload", "/a/1/b");
        assertRefused("{\"inner\":{\"payload\":{\"\\ud800\":1}}}", "inner.payload", "member name");
        assertRefused("{\"items\":[{\"text\":\"x\"},{\"text\":\"\\u0000\"}]}", "items[1].text", "U+0000");
    }

    private static void assertRefused(String body, String path, String reason) {
        assertThatThrownBy(() -> JSON.readValue(body, Outer.class))
                .isInstanceOfSatisfying(UnstorableTextException.class, e -> {
                    assertThat(e.reason()).contains(reason);
                    assertThat(path(e)).isEqualTo(path);
                });
    }

    private static String path(UnstorableTextException e) {
        StringBuilder path = new StringBuilder();
        e.getPath().forEach(reference -> {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        });
        return path.toString();
    }

    @Test
    void a_query_is_checked_parameter_by_parameter_on_its_raw_form() {
        assertThat(StorableText.queryFlaw(null)).isNull();
        assertThat(StorableText.queryFlaw("prefix=orders%2F&limit=10&flag&cursor=%C3%BC+x"))
                .isNull();
        assertThat(StorableText.queryFlaw("limit=1&prefix=a%00b"))
                .isEqualTo(new StorableText.Flaw("prefix", "contains U+0000 (NUL), which cannot be stored"));
        assertThat(StorableText.queryFlaw("cursor=%FF"))
                .isEqualTo(new StorableText.Flaw("cursor", "is not percent-encoded UTF-8"));
        assertThat(StorableText.queryFlaw("cursor=%ED%A0%80"))
                .as("an encoded surrogate (CESU-8)")
                .extracting(StorableText.Flaw::reason)
                .isEqualTo("is not percent-encoded UTF-8");
        assertThat(StorableText.queryFlaw("prefix=%4"))
                .extracting(StorableText.Flaw::at)
                .isEqualTo("prefix");
        assertThat(StorableText.queryFlaw("a%00=1"))
                .extracting(StorableText.Flaw::reason)
                .isEqualTo("has a name that contains U+0000 (NUL), which cannot be stored");
    }

    @Test
    void bytes_are_decoded_as_utf8_strictly() throws Exception {
        assertThat(StorableText.utf8("grüße 😀".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("grüße 😀");
        assertThatThrownBy(() -> StorableText.utf8(new byte[] {'a', (byte) 0xFF}))
                .isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> StorableText.utf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))
                .isInstanceOf(CharacterCodingException.class);
    }
}
