package dev.baton.scheduler.execution;

import java.util.stream.Stream;

/** Parameters for {@code unnest}: pgjdbc binds a {@code String[]} as text[], which the statement casts. */
final class Sql {

    private Sql() {}

    static String[] texts(Stream<String> values) {
        return values.toArray(String[]::new);
    }
}
