package dev.baton.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit log is kept in one partition per UTC day: retention drops a day whole once all of it is
 * past {@code baton.keys.audit-retention} (30 days), and an entry of a day that has no partition
 * yet is still written, and later moved into its day's.
 */
@BatonServiceTest
class AuditRetentionTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditRetention retention;

    private void insert(String keyName, String age) {
        jdbc.sql("""
                insert into baton_keys.audit (at, key_name, method, kind, name, status)
                values (now() - :age::interval, :keyName, 'POST', 'locks', 'retention', 201)
                """).param("age", age).param("keyName", keyName).update();
    }

    private long count(String keyName) {
        return jdbc.sql("select count(*) from baton_keys.audit where key_name = :keyName")
                .param("keyName", keyName)
                .query(Long.class)
                .single();
    }

    private List<String> partitions() {
        return jdbc.sql("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                 where i.inhparent = 'baton_keys.audit'::regclass order by c.relname""").query(String.class).list();
    }

    @Test
    void a_day_wholly_past_the_retention_is_dropped_and_a_newer_one_kept() {
        String old = "retention-old-" + UUID.randomUUID();
        String kept = "retention-kept-" + UUID.randomUUID();
        insert(old, "32 days");
        insert(old, "45 days");
        insert(kept, "29 days");
        insert(kept, "1 hour");
        String oldDay = jdbc.sql(
                        "select 'audit_' || to_char(((now() - interval '32 days') at time zone 'UTC')::date, 'YYYYMMDD')")
                .query(String.class)
                .single();
        assertThat(partitions())
                .as("a day the log never had goes to audit_default")
                .doesNotContain(oldDay);
        assertThat(jdbc.sql("select count(*) from baton_keys.audit_default where key_name = :keyName")
                        .param("keyName", old)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);

        retention.sweep();

        assertThat(count(old)).isZero();
        assertThat(count(kept)).isEqualTo(2);
        assertThat(partitions()).doesNotContain(oldDay).contains("audit_default");
        assertThat(jdbc.sql("select count(*) from baton_keys.audit_default")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void an_entry_of_a_day_without_a_partition_is_written_readable_and_moved_into_its_day() {
        String later = "retention-later-" + UUID.randomUUID();
        jdbc.sql("""
                insert into baton_keys.audit (at, key_name, method, kind, name, status)
                values (now() + interval '60 days', :keyName, 'PUT', 'config', 'later', 200)
                """).param("keyName", later).update();
        TestHttp http = TestHttp.localhost(port);
        assertThat(http.get("/api/v1/audit?keyName=" + later, TestApiKeys.ADMIN)
                        .json()
                        .path("items")
                        .size())
                .isEqualTo(1);

        retention.sweep();

        String day = jdbc.sql(
                        "select 'audit_' || to_char(((now() + interval '60 days') at time zone 'UTC')::date, 'YYYYMMDD')")
                .query(String.class)
                .single();
        assertThat(partitions()).contains(day);
        assertThat(jdbc.sql("select count(*) from baton_keys." + day + " where key_name = :keyName")
                        .param("keyName", later)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void the_week_ahead_has_its_partitions() {
        retention.sweep();

        List<String> ahead = jdbc.sql("""
                select 'audit_' || to_char(d, 'YYYYMMDD')
                  from generate_series((now() at time zone 'UTC')::date,
                                       (now() at time zone 'UTC')::date + 7, interval '1 day') as d""").query(String.class).list();
        assertThat(partitions()).containsAll(ahead);
    }
}
