package dev.baton.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.scheduler.egress.EgressPolicy;
import dev.baton.scheduler.egress.SigningProperties;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * The channels of {@code baton.scheduler.alerts.channels} go with every job's alerts, before the
 * job's own, and are checked when the scheduler starts.
 */
class DefaultChannelsTest extends SchedulerTest {

    private static final AlertChannel OPS = new AlertChannel(ChannelType.SLACK, "http://127.0.0.1:9/ops", null);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AlertStore store;

    @Autowired
    EgressPolicy egress;

    @Autowired
    SigningProperties signing;

    @Autowired
    ObjectProvider<JavaMailSender> mail;

    @Autowired
    JsonMapper json;

    @Autowired
    TransactionOperations transactions;

    private Alerts alertsWithDefaults(List<AlertChannel> channels) {
        return new Alerts(
                new AlertProperties(
                        channels,
                        3,
                        20,
                        1,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofHours(1),
                        10,
                        "baton@localhost"),
                store,
                egress,
                signing,
                mail,
                json);
    }

    private UUID job() {
        return UUID.fromString(
                createJob("""
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"url": "http://127.0.0.1:9/run"}}""".formatted(unique("defaults"))).path("id").asString());
    }

    private List<String> channelsOf(UUID job) {
        return jdbc.sql("select channel ->> 'url' from alert where job_id = :job order by id")
                .param("job", job)
                .query(String.class)
                .list();
    }

    @Test
    void every_jobs_alerts_go_to_the_default_channels_before_its_own() {
        Alerts alerts = alertsWithDefaults(List.of(OPS));
        UUID bare = job();
        UUID own = job();
        AlertChannel team = new AlertChannel(ChannelType.WEBHOOK, "http://127.0.0.1:9/team", null);

        transactions.executeWithoutResult(transaction -> alerts.record(List.of(
                new Alerts.Ended(bare, "bare", List.of(), null, 1, Alerts.Ending.FAILED, "FAILED", 1, "x"),
                new Alerts.Ended(own, "own", List.of(team), null, 2, Alerts.Ending.FAILED, "FAILED", 1, "x"))));

        assertThat(channelsOf(bare)).containsExactly("http://127.0.0.1:9/ops");
        assertThat(channelsOf(own)).containsExactly("http://127.0.0.1:9/ops", "http://127.0.0.1:9/team");
    }

    @Test
    void a_default_channel_without_its_url_stops_the_start_naming_it() {
        assertThatThrownBy(() -> alertsWithDefaults(List.of(OPS, new AlertChannel(ChannelType.TEAMS, null, null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("baton.scheduler.alerts.channels[1].url is required for TEAMS");
    }
}
