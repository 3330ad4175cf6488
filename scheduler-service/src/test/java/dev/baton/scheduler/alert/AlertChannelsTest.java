package dev.baton.scheduler.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.baton.scheduler.TestWorker;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each channel's format: email through a real SMTP server (GreenMail, in this JVM), and the
 * incoming-webhook payloads of Slack, Teams, DingTalk and Feishu at a real HTTP receiver.
 */
class AlertChannelsTest extends AlertTest {

    private static final GreenMail SMTP = startSmtp();

    @Autowired
    JsonMapper json;

    private static GreenMail startSmtp() {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Runtime.getRuntime().addShutdownHook(new Thread(smtp::stop));
        return smtp;
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry properties) {
        properties.add("spring.mail.host", () -> "127.0.0.1");
        properties.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @Test
    void an_email_alert_reaches_every_address_through_smtp() throws Exception {
        worker.answer(call -> new TestWorker.Reply(500, "\"quota exceeded\""));
        String ops = unique("ops") + "@example.com";
        String oncall = unique("oncall") + "@example.com";
        String jobId = job("\"alerts\": [{\"type\": \"EMAIL\", \"to\": [\"%s\", \"%s\"]}]".formatted(ops, oncall));

        long execution = trigger(jobId);
        awaitExecution(execution, "FAILED");
        awaitAlerts(
                jobId,
                list -> list.size() == 1
                        && list.get(0).path("status").asString().equals("SENT"));

        List<MimeMessage> mails = Arrays.stream(SMTP.getReceivedMessages())
                .filter(mail -> text(mail).contains("Execution " + execution + " is"))
                .toList();
        assertThat(mails).hasSize(2);
        MimeMessage mail = mails.get(0);
        assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactlyInAnyOrder(ops, oncall);
        assertThat(mail.getFrom()[0].toString()).isEqualTo("baton@localhost");
        assertThat(mail.getSubject()).startsWith("Baton: job alerted-").endsWith(" failed");
        assertThat(text(mail))
                .contains("Execution " + execution + " is FAILED after attempt 1")
                .contains("quota exceeded");
    }

    @Test
    void slack_teams_dingtalk_and_feishu_each_get_their_documented_payload() {
        receiver.answer(request -> switch (request.target()) {
            case "/dingtalk" -> new AlertReceiver.Answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
            case "/feishu" -> new AlertReceiver.Answer(200, "{\"code\":0,\"msg\":\"success\"}");
            default -> new AlertReceiver.Answer(200, "ok");
        });
        worker.answer(call -> new TestWorker.Reply(500, "\"broken\""));
        String jobId = job("""
                "alerts": [{"type": "SLACK", "url": "%s"}, {"type": "TEAMS", "url": "%s"},
                           {"type": "DINGTALK", "url": "%s"}, {"type": "FEISHU", "url": "%s"}]""".formatted(
                receiver.url("/slack"), receiver.url("/teams"), receiver.url("/dingtalk"), receiver.url("/feishu")));

        long execution = trigger(jobId);
        awaitExecution(execution, "FAILED");
        awaitAlerts(
                jobId,
                list -> list.size() == 4
                        && list.stream()
                                .allMatch(
                                        alert -> alert.path("status").asString().equals("SENT")));

        JsonNode slack = only("/slack");
        assertThat(slack.path("text").asString())
                .startsWith("Baton: job alerted-")
                .contains(" failed\nExecution " + execution + " is FAILED after attempt 1: answered 500");

        JsonNode teams = only("/teams");
        assertThat(teams.path("type").asString()).isEqualTo("message");
        JsonNode attachment = teams.path("attachments").get(0);
        assertThat(attachment.path("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.path("content").path("type").asString()).isEqualTo("AdaptiveCard");
        assertThat(attachment.path("content").path("body").get(0).path("text").asString())
                .endsWith(" failed");
        assertThat(attachment.path("content").path("body").get(1).path("text").asString())
                .contains("Execution " + execution);

        JsonNode dingtalk = only("/dingtalk");
        assertThat(dingtalk.path("msgtype").asString()).isEqualTo("text");
        assertThat(dingtalk.path("text").path("content").asString())
                .isEqualTo(slack.path("text").asString());

        JsonNode feishu = only("/feishu");
        assertThat(feishu.path("msg_type").asString()).isEqualTo("text");
        assertThat(feishu.path("content").path("text").asString())
                .isEqualTo(slack.path("text").asString());
        assertThat(receiver.requests())
                .allSatisfy(request -> assertThat(request.signature()).isNull());
    }

    @Test
    void a_feishu_refusal_answered_with_200_is_a_failed_delivery_that_is_retried() {
        receiver.answer(request -> new AlertReceiver.Answer(200, "{\"code\":19021,\"msg\":\"sign match fail\"}"));
        worker.answer(call -> new TestWorker.Reply(500, "\"broken\""));
        String jobId = job("\"alerts\": [{\"type\": \"FEISHU\", \"url\": \"%s\"}]".formatted(receiver.url("/feishu")));

        awaitExecution(trigger(jobId), "FAILED");

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() >= 2);
        JsonNode alert = alerts(jobId).get(0);
        assertThat(alert.path("lastError").asString()).contains("sign match fail");
        assertThat(alert.path("status").asString()).isNotEqualTo("SENT");
    }

    private static String text(MimeMessage mail) {
        try {
            return (String) mail.getContent();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode only(String path) {
        assertThat(receiver.requests(path)).hasSize(1);
        return json.readTree(receiver.requests(path).get(0).text());
    }
}
