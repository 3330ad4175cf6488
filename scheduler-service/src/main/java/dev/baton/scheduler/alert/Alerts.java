package dev.baton.scheduler.alert;

import dev.baton.common.problem.Problems;
import dev.baton.scheduler.egress.EgressPolicy;
import dev.baton.scheduler.egress.SigningProperties;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A job's alerts: the rules of its channels, and the alerts that an execution's end or a skipped
 * trigger causes, written as rows in the transaction of the change that causes them, for {@link
 * AlertSender} to deliver. A job's alerts go to its own channels and to those of {@code
 * baton.scheduler.alerts.channels}. A job without any costs nothing here.
 */
@Component
public class Alerts {

    /** How an execution or trigger ended, as far as alerts care. */
    public enum Ending {
        SUCCEEDED,
        FAILED,
        TIMED_OUT,
        /** Skipped by the misfire policy. */
        MISFIRED
    }

    /**
     * An execution that ended, or a trigger that was skipped.
     *
     * @param channels the job's own channels; null or empty for none
     * @param policy the job's own settings, or null
     * @param attempt the attempt it ended with; 0 for a skipped trigger
     * @param error why it failed, or null
     */
    public record Ended(
            UUID jobId,
            String jobName,
            List<AlertChannel> channels,
            AlertPolicy policy,
            long executionId,
            Ending ending,
            String status,
            int attempt,
            String error) {}

    private final AlertProperties properties;
    private final AlertStore store;
    private final EgressPolicy egress;
    private final SigningProperties signing;
    private final ObjectProvider<JavaMailSender> mail;
    private final JsonMapper json;

    Alerts(
            AlertProperties properties,
            AlertStore store,
            EgressPolicy egress,
            SigningProperties signing,
            ObjectProvider<JavaMailSender> mail,
            JsonMapper json) {
        this.properties = properties;
        this.store = store;
        this.egress = egress;
        this.signing = signing;
        this.mail = mail;
        this.json = json;
        List<Problems.FieldError> defaults = shape("baton.scheduler.alerts.channels", properties.channels());
        if (!defaults.isEmpty()) {
            throw new IllegalStateException(defaults.stream()
                    .map(error -> error.field() + " " + error.message())
                    .toList()
                    .toString());
        }
    }

    /**
     * What is wrong with a job's channels, each error naming its field under {@code field}: a
     * missing {@code url} or {@code to}, a URL the egress allowlist refuses, a webhook without a
     * signing secret, an address that is no email address, email without an SMTP server.
     */
    public List<Problems.FieldError> check(String field, List<AlertChannel> channels) {
        List<Problems.FieldError> errors = shape(field, channels);
        for (int i = 0; channels != null && i < channels.size(); i++) {
            AlertChannel channel = channels.get(i);
            String at = field + "[" + i + "]";
            if (channel == null || channel.type() == null) {
                continue;
            }
            if (channel.type().posted() && channel.url() != null) {
                URI url = url(channel.url());
                if (url != null) {
                    egress.refusalOfUrl(url)
                            .ifPresent(refusal ->
                                    errors.add(new Problems.FieldError(at + ".url", "may not be called: " + refusal)));
                    if (channel.type() == ChannelType.WEBHOOK
                            && signing.secretFor(url.getHost()).isEmpty()) {
                        errors.add(new Problems.FieldError(
                                at + ".url",
                                "has no signing secret: set baton.scheduler.signing.secrets[" + url.getHost()
                                        + "] or baton.scheduler.signing.default-secret"));
                    }
                }
            }
            if (channel.type() == ChannelType.EMAIL && mail.getIfAvailable() == null) {
                errors.add(new Problems.FieldError(
                        at + ".type", "needs an SMTP server, and none is configured (spring.mail.host)"));
            }
        }
        return errors;
    }

    /** The rules a channel's fields keep by themselves, without the network or configuration. */
    private static List<Problems.FieldError> shape(String field, List<AlertChannel> channels) {
        List<Problems.FieldError> errors = new ArrayList<>();
        for (int i = 0; channels != null && i < channels.size(); i++) {
            AlertChannel channel = channels.get(i);
            String at = field + "[" + i + "]";
            if (channel == null || channel.type() == null) {
                errors.add(new Problems.FieldError(at + ".type", "is required"));
                continue;
            }
            if (channel.type().posted()) {
                if (channel.url() == null) {
                    errors.add(new Problems.FieldError(at + ".url", "is required for " + channel.type()));
                } else if (url(channel.url()) == null) {
                    errors.add(new Problems.FieldError(at + ".url", "must be an absolute http or https URL"));
                }
                if (channel.to() != null) {
                    errors.add(new Problems.FieldError(at + ".to", "is only for EMAIL"));
                }
                continue;
            }
            if (channel.url() != null) {
                errors.add(new Problems.FieldError(at + ".url", "is not for EMAIL: use to"));
            }
            if (channel.to() == null || channel.to().isEmpty()) {
                errors.add(new Problems.FieldError(at + ".to", "is required for EMAIL"));
                continue;
            }
            for (int j = 0; j < channel.to().size(); j++) {
                if (!emailAddress(channel.to().get(j))) {
                    errors.add(new Problems.FieldError(at + ".to[" + j + "]", "is not an email address"));
                }
            }
        }
        return errors;
    }

    private static URI url(String text) {
        try {
            URI url = new URI(text);
            boolean web = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
            return web && url.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean emailAddress(String text) {
        if (text == null || !text.matches("[^@\\s<>,]+@[^@\\s<>,]+")) {
            return false;
        }
        try {
            new InternetAddress(text, true).validate();
            return true;
        } catch (AddressException e) {
            return false;
        }
    }

    /** The job's name, if it exists. */
    Optional<String> jobName(UUID jobId) {
        return store.jobName(jobId);
    }

    /** A page of the job's alerts, newest first, with ids below {@code before}. */
    List<AlertView> history(UUID jobId, AlertStatus status, long before, int limit) {
        return store.history(jobId, status, before, limit);
    }

    /**
     * Writes the alerts these cause, in the caller's transaction: FAILED or TIMED_OUT for an
     * execution that failed for good, CONSECUTIVE_FAILURES when that makes the job's run of
     * failures as long as its threshold, RECOVERED for the first success after a failure, MISFIRED
     * for a skipped trigger. Jobs are taken in the order of their ids, as their alert state rows
     * are locked.
     */
    public void record(List<Ended> ended) {
        List<Ended> alerted = ended.stream()
                .filter(e -> !channels(e).isEmpty())
                .sorted(Comparator.comparing(Ended::jobId).thenComparingLong(Ended::executionId))
                .toList();
        for (Ended e : alerted) {
            for (AlertEvent event : events(e)) {
                int limit = e.policy() != null && e.policy().maxPerHour() != null
                        ? e.policy().maxPerHour()
                        : properties.maxPerHour();
                store.add(e.jobId(), e.executionId(), event, channels(e), payload(e, event), limit);
            }
        }
    }

    private List<AlertEvent> events(Ended e) {
        switch (e.ending()) {
            case SUCCEEDED:
                return store.resetFailures(e.jobId()) ? List.of(AlertEvent.RECOVERED) : List.of();
            case MISFIRED:
                store.lockState(e.jobId());
                return List.of(AlertEvent.MISFIRED);
            default:
                int threshold = e.policy() != null && e.policy().consecutiveFailures() != null
                        ? e.policy().consecutiveFailures()
                        : properties.consecutiveFailures();
                AlertEvent failed = e.ending() == Ending.TIMED_OUT ? AlertEvent.TIMED_OUT : AlertEvent.FAILED;
                return store.countFailure(e.jobId()) == threshold
                        ? List.of(failed, AlertEvent.CONSECUTIVE_FAILURES)
                        : List.of(failed);
        }
    }

    private List<AlertChannel> channels(Ended e) {
        if (e.channels() == null || e.channels().isEmpty()) {
            return properties.channels();
        }
        List<AlertChannel> all = new ArrayList<>(properties.channels());
        all.addAll(e.channels());
        return all;
    }

    /** The alert as a webhook receives it, but for {@code at}, which the database stamps. */
    private ObjectNode payload(Ended e, AlertEvent event) {
        ObjectNode payload = json.createObjectNode();
        payload.put("event", event.name());
        payload.putObject("job").put("id", e.jobId().toString()).put("name", e.jobName());
        ObjectNode execution = payload.putObject("execution");
        execution.put("id", e.executionId());
        execution.put("status", e.status());
        execution.put("attempt", e.attempt());
        execution.put("error", e.error());
        if (event == AlertEvent.CONSECUTIVE_FAILURES) {
            payload.put(
                    "consecutiveFailures",
                    e.policy() != null && e.policy().consecutiveFailures() != null
                            ? e.policy().consecutiveFailures()
                            : properties.consecutiveFailures());
        }
        return payload;
    }
}
