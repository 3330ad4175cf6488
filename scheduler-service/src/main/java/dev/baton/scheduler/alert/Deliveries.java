package dev.baton.scheduler.alert;

import dev.baton.scheduler.egress.EgressPolicy;
import dev.baton.scheduler.egress.SigningProperties;
import dev.baton.signing.CallSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers one alert to its channel. Every URL is checked by the {@link EgressPolicy} at each
 * delivery, as at a job's creation, since a name may since resolve elsewhere; a WEBHOOK is signed
 * with {@link CallSignature} and the secret of its host, as a call to a URL target is. Thread-safe.
 */
@Component
class Deliveries {

    /** A delivery that failed; {@code lasting} when trying again cannot help (the channel may not be called). */
    static final class Failed extends Exception {

        private final boolean lasting;

        Failed(String reason, boolean lasting) {
            super(reason, null, false, false);
            this.lasting = lasting;
        }

        boolean lasting() {
            return lasting;
        }
    }

    private final EgressPolicy egress;
    private final SigningProperties signing;
    private final ObjectProvider<JavaMailSender> mail;
    private final AlertProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http;

    Deliveries(
            EgressPolicy egress,
            SigningProperties signing,
            ObjectProvider<JavaMailSender> mail,
            AlertProperties properties,
            JsonMapper json,
            Clock clock) {
        this.egress = egress;
        this.signing = signing;
        this.mail = mail;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.sendTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Whether this replica can send emails. */
    boolean mails() {
        return mail.getIfAvailable() != null;
    }

    /** Delivers it, or says why not. */
    void deliver(AlertStore.Claimed alert) throws Failed, InterruptedException {
        if (alert.channel().type() == ChannelType.EMAIL) {
            email(alert);
        } else {
            post(alert);
        }
    }

    private void post(AlertStore.Claimed alert) throws Failed, InterruptedException {
        URI url = URI.create(alert.channel().url());
        Optional<String> refusal = egress.refusalOfUrl(url);
        if (refusal.isPresent()) {
            throw new Failed("refused to call " + url + ": " + refusal.get(), true);
        }
        ChannelType type = alert.channel().type();
        byte[] body = Messages.body(type, alert.payload(), json).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(properties.sendTimeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json; charset=utf-8");
        if (type == ChannelType.WEBHOOK) {
            String secret = signing.secretFor(url.getHost())
                    .orElseThrow(() -> new Failed(
                            "no signing secret for '" + url.getHost() + "' in baton.scheduler.signing", true));
            long timestamp = clock.instant().getEpochSecond();
            request.header(CallSignature.TIMESTAMP, String.valueOf(timestamp))
                    .header(
                            CallSignature.SIGNATURE,
                            CallSignature.sign(secret, timestamp, "POST", CallSignature.target(url), List.of(), body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failed("call to " + url + " failed: " + e, false);
        }
        String answer = response.body() == null ? "" : response.body();
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new Failed("answered " + response.statusCode() + (answer.isBlank() ? "" : ": " + cut(answer)), false);
        }
        String refused = Messages.refusal(type, answer, json);
        if (refused != null) {
            throw new Failed(cut(refused), false);
        }
    }

    private void email(AlertStore.Claimed alert) throws Failed {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null) {
            throw new Failed("no SMTP server is configured (spring.mail.host)", true);
        }
        JsonNode payload = json.readTree(alert.payload());
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.mailFrom());
        message.setTo(alert.channel().to().toArray(String[]::new));
        message.setSubject(Messages.summary(payload));
        message.setText(Messages.detail(payload) + "\n\n" + alert.payload() + "\n");
        try {
            sender.send(message);
        } catch (MailException e) {
            throw new Failed("SMTP: " + cut(e.getMessage()), false);
        }
    }

    private static String cut(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }
}
