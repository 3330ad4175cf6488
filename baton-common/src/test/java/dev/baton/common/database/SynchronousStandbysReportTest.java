package dev.baton.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The report on a real PostgreSQL server, which has no standby. */
@ExtendWith(OutputCaptureExtension.class)
class SynchronousStandbysReportTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DatabaseErrorsAutoConfiguration.class));

    @Test
    void a_server_without_a_standby_is_reported_at_start_up_as_a_warning_and_in_gauges_of_zero(CapturedOutput output) {
        contexts.withBean(DataSource.class, () -> committingOn(TestDatabase.get()))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    SynchronousStandbysReport report = context.getBean(SynchronousStandbysReport.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    report.bindTo(registry);

                    assertThat(registry.get("baton.database.synchronous.standbys")
                                    .gauge()
                                    .value())
                            .isZero();
                    assertThat(registry.get("baton.database.synchronous.required")
                                    .gauge()
                                    .value())
                            .isZero();
                    assertThat(output.getAll())
                            .containsOnlyOnce("Commits are acknowledged without a synchronous standby");
                    assertThat(output.getAll())
                            .contains("synchronous_standby_names=''", "a fencing token be issued twice");

                    report.refresh();

                    assertThat(output.getAll())
                            .as("an unchanged state is reported once")
                            .containsOnlyOnce("Commits are acknowledged without a synchronous standby");
                });
    }

    @Test
    void the_server_is_read_for_what_it_is() {
        SynchronousStandbys.Replication replication = new SynchronousStandbys(committingOn(TestDatabase.get())).read();

        assertThat(replication.synchronousCommit()).isEqualTo("on");
        assertThat(replication.standbyNames()).isEmpty();
        assertThat(replication.synchronousStandbys()).isZero();
        assertThat(replication.durability()).isEqualTo(SynchronousStandbys.Durability.PRIMARY_ONLY);
    }

    @Test
    void settings_that_make_commits_wait_are_told_apart_from_those_that_do_not() {
        assertThat(new SynchronousStandbys.Replication("on", "ANY 1 (a, b)", 1, 0).durability())
                .isEqualTo(SynchronousStandbys.Durability.ON_STANDBY);
        assertThat(new SynchronousStandbys.Replication("remote_apply", "a", 0, 0).durability())
                .isEqualTo(SynchronousStandbys.Durability.WAITING_FOR_STANDBY);
        assertThat(new SynchronousStandbys.Replication("on", "ANY 1 (a, b)", 0, 2).durability())
                .isEqualTo(SynchronousStandbys.Durability.STANDBYS_HIDDEN);
        assertThat(new SynchronousStandbys.Replication("local", "ANY 1 (a, b)", 1, 0).durability())
                .as("synchronous_commit=local acknowledges on the primary alone")
                .isEqualTo(SynchronousStandbys.Durability.PRIMARY_ONLY);
        assertThat(new SynchronousStandbys.Replication("on", "", 0, 0).durability())
                .isEqualTo(SynchronousStandbys.Durability.PRIMARY_ONLY);
    }

    /**
     * Connections with PostgreSQL's default {@code synchronous_commit=on}, which a test server may
     * have turned off, so that only the missing standby makes commits unprotected.
     */
    private static DataSource committingOn(TestDatabase database) {
        DriverManagerDataSource dataSource =
                new DriverManagerDataSource(database.url(), database.user(), database.password());
        Properties properties = new Properties();
        properties.setProperty("options", "-c synchronous_commit=on");
        dataSource.setConnectionProperties(properties);
        return dataSource;
    }

    @Test
    void a_service_without_a_database_reports_nothing() {
        contexts.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(SynchronousStandbysReport.class).bindTo(registry);

            assertThat(registry.find("baton.database.synchronous.standbys").gauge())
                    .isNull();
        });
    }
}
