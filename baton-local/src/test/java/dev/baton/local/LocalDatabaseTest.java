package dev.baton.local;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDatabaseTest {

    @Test
    void a_data_folder_of_an_earlier_major_version_is_refused_with_a_way_out(@TempDir Path data) throws IOException {
        Files.writeString(data.resolve("PG_VERSION"), "14\n");

        assertThatThrownBy(() -> LocalDatabase.requireCurrentMajorVersion(data))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL 14")
                .hasMessageContaining("pg_upgrade");
    }

    @Test
    void a_data_folder_of_version_16_or_none_yet_is_opened(@TempDir Path home) throws IOException {
        assertThatCode(() -> LocalDatabase.requireCurrentMajorVersion(home.resolve("postgres")))
                .doesNotThrowAnyException();
        Files.writeString(home.resolve("PG_VERSION"), "16\n");
        assertThatCode(() -> LocalDatabase.requireCurrentMajorVersion(home)).doesNotThrowAnyException();
    }
}
