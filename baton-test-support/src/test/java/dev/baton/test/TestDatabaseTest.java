package dev.baton.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

    @Test
    void the_embedded_server_runs_the_charts_major_version_16() throws SQLException {
        TestDatabase embedded = TestDatabase.startEmbedded();
        try (Connection connection = embedded.connect();
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("select current_setting('server_version_num')::int")) {
            version.next();
            assertThat(version.getInt(1) / 10_000).isEqualTo(16);
        }
    }

    @Test
    void a_database_url_keeps_its_parameters_when_its_database_is_replaced() {
        assertThat(TestDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?sslmode=disable", "baton_x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/baton_x?sslmode=disable");
        assertThat(TestDatabase.withDatabase("jdbc:postgresql://127.0.0.1:5432", "baton_x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/baton_x");
    }
}
