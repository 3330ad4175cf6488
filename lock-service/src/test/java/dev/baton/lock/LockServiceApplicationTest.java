package dev.baton.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.BatonServiceTest;
import dev.baton.test.ServiceContractTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@BatonServiceTest
class LockServiceApplicationTest extends ServiceContractTests {

    @Autowired
    JdbcClient jdbc;

    @Test
    void flyway_migrates_the_service_schema() {
        Integer applied = jdbc.sql("select count(*) from locks.flyway_schema_history where success")
                .query(Integer.class)
                .single();

        assertThat(applied).isPositive();
        assertThat(jdbc.sql("select current_schema()").query(String.class).single())
                .isEqualTo("locks");
    }
}
