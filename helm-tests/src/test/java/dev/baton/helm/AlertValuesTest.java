package dev.baton.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler's default alert channels and the SMTP server of its email alerts. */
class AlertValuesTest {

    @Test
    void default_channels_and_the_smtp_server_reach_the_scheduler_alone() {
        Manifests manifests = Chart.manifests(RenderedManifestsTest.with(Map.of(
                "alerts.channels[0].type", "SLACK",
                "alerts.channels[0].url", "https://hooks.slack.com/services/T0/B0/x",
                "alerts.channels[1].type", "EMAIL",
                "alerts.channels[1].to[0]", "ops@example.com",
                "alerts.smtp.host", "smtp.example.com",
                "alerts.smtp.username", "baton",
                "alerts.smtp.existingSecret", "smtp-password")));

        Map<String, String> config = ValueSetsTest.configOf(manifests, "scheduler-service");
        assertThat(config.get("SPRING_APPLICATION_JSON"))
                .isEqualTo("{\"baton\":{\"scheduler\":{\"alerts\":{\"channels\":[{\"type\":\"SLACK\","
                        + "\"url\":\"https://hooks.slack.com/services/T0/B0/x\"},"
                        + "{\"to\":[\"ops@example.com\"],\"type\":\"EMAIL\"}]}}}}");
        assertThat(config)
                .containsEntry("SPRING_MAIL_HOST", "smtp.example.com")
                .containsEntry("SPRING_MAIL_PORT", "587")
                .containsEntry("SPRING_MAIL_USERNAME", "baton")
                .containsEntry("BATON_SCHEDULER_ALERTS_MAILFROM", "baton@localhost");
        assertThat(ValueSetsTest.env(manifests, "scheduler-service", "SPRING_MAIL_PASSWORD"))
                .hasValueSatisfying(env -> {
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("smtp-password");
                    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
                });
        assertThat(ValueSetsTest.configOf(manifests, "lock-service")).doesNotContainKey("SPRING_MAIL_HOST");
        assertThat(ValueSetsTest.env(manifests, "lock-service", "SPRING_MAIL_PASSWORD"))
                .isEmpty();
    }

    @Test
    void without_an_smtp_host_no_mail_server_is_configured() {
        Map<String, String> config =
                ValueSetsTest.configOf(Chart.manifests(RenderedManifestsTest.with(Map.of())), "scheduler-service");

        assertThat(config).doesNotContainKeys("SPRING_MAIL_HOST", "SPRING_APPLICATION_JSON");
    }
}
