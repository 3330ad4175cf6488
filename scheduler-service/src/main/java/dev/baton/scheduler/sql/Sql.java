package dev.baton.scheduler.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/** Values between Java and the scheduler's statements, for every package that runs them. */
public final class Sql {

    private Sql() {}

    /** A timestamp parameter. */
    public static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** A timestamp column, or null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A parameter for {@code unnest}: pgjdbc binds a {@code String[]} as text[], which the statement casts. */
    public static String[] texts(Stream<String> values) {
        return values.toArray(String[]::new);
    }
}
