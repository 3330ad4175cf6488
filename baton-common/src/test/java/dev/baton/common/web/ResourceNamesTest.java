package dev.baton.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {

    private static final Pattern PATTERN = Pattern.compile(ResourceName.PATTERN);

    @Test
    void names_at_the_edges_are_judged_as_the_pattern_judges_them() {
        List<String> names = List.of(
                "",
                "a",
                ".",
                "..",
                "...",
                ".a",
                "a.",
                "a/.",
                "a/..",
                "./a",
                "../a",
                "a/./b",
                "a/../b",
                "a/.../b",
                "a//b",
                "/",
                "/a",
                "a/",
                "//",
                "/./",
                "team-a/x",
                "orders:42_v1.2",
                "a b",
                "a\n",
                "..\n",
                "é",
                "x".repeat(200),
                "x".repeat(201),
                "./" + "x".repeat(198),
                "x".repeat(198) + "/.");
        for (String name : names) {
            assertThat(ResourceNames.valid(name))
                    .as("'%s'", name)
                    .isEqualTo(PATTERN.matcher(name).matches());
        }
        assertThat(names.stream().filter(ResourceNames::valid)).hasSizeGreaterThan(8);
        assertThat(names.stream().filter(name -> !ResourceNames.valid(name))).hasSizeGreaterThan(8);
    }

    @Test
    void random_names_over_the_characters_that_matter_are_judged_as_the_pattern_judges_them() {
        char[] alphabet = {'a', 'Z', '0', '.', '.', '/', '/', '_', ':', '-', ' ', '\n', '%', 'é'};
        Random random = new Random(42);
        int valid = 0;
        for (int round = 0; round < 200_000; round++) {
            int length = round % 50 == 0 ? 195 + random.nextInt(10) : random.nextInt(8);
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < length; i++) {
                name.append(alphabet[random.nextInt(alphabet.length)]);
            }
            boolean expected = PATTERN.matcher(name).matches();
            assertThat(ResourceNames.valid(name.toString())).as("'%s'", name).isEqualTo(expected);
            if (expected) {
                valid++;
            }
        }
        assertThat(valid).isGreaterThan(10_000);
    }
}
