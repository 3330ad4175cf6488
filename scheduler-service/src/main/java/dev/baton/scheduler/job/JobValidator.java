package dev.baton.scheduler.job;

import dev.baton.common.problem.Problems;
import dev.baton.scheduler.alert.Alerts;
import dev.baton.scheduler.egress.EgressPolicy;
import dev.baton.scheduler.egress.SigningProperties;
import dev.baton.scheduler.routing.Routing;
import dev.baton.scheduler.routing.WorkerDirectory;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.json.JsonMapper;

/** The rules of a job definition that span fields or need the registry; annotations check the rest. */
@Component
class JobValidator {

    /** A definition is stored whole with every execution's claim: it stays small. */
    static final int MAX_DEFINITION_BYTES = 64 * 1024;

    private final WorkerDirectory directory;
    private final EgressPolicy egress;
    private final SigningProperties signing;
    private final Alerts alerts;
    private final JsonMapper json;

    JobValidator(
            WorkerDirectory directory, EgressPolicy egress, SigningProperties signing, Alerts alerts, JsonMapper json) {
        this.directory = directory;
        this.egress = egress;
        this.signing = signing;
        this.alerts = alerts;
        this.json = json;
    }

    /** Throws a 400 problem listing every rule the definition breaks, or a 503 when the registry cannot say. */
    void validate(JobDefinition job) {
        List<Problems.FieldError> errors = new ArrayList<>();
        errors.addAll(Schedules.refusals(job.schedule()));
        target(job.target(), errors);
        errors.addAll(alerts.check("alerts", job.alerts()));
        if (job.shards() != null && job.shards() > 1 && job.routing() != Routing.SHARDED) {
            errors.add(new Problems.FieldError("shards", "is only for SHARDED routing"));
        }
        if (json.writeValueAsBytes(job).length > MAX_DEFINITION_BYTES) {
            errors.add(new Problems.FieldError("target.body", "makes the job larger than 64 KiB"));
        }
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(
                    HttpStatus.BAD_REQUEST, Problems.validation("The job definition is invalid.", errors), null);
        }
        if (job.target().service() != null) {
            service(job.target().service());
        }
    }

    private void target(JobDefinition.Target target, List<Problems.FieldError> errors) {
        if ((target.service() == null) == (target.url() == null)) {
            errors.add(new Problems.FieldError("target", "needs either service (with path) or url, not both"));
        }
        if (target.path() != null) {
            try {
                new URI("http://worker" + target.path());
            } catch (URISyntaxException e) {
                errors.add(new Problems.FieldError("target.path", "is not a valid URI path: " + e.getReason()));
            }
        }
        if (target.url() != null) {
            try {
                URI url = new URI(target.url());
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                    errors.add(new Problems.FieldError("target.url", "must be an absolute http or https URL"));
                } else {
                    egress.refusalOfUrl(url)
                            .ifPresent(refusal ->
                                    errors.add(new Problems.FieldError("target.url", "may not be called: " + refusal)));
                    signed("target.url", url.getHost(), errors);
                }
            } catch (URISyntaxException e) {
                errors.add(new Problems.FieldError("target.url", "is not a valid URL"));
            }
        }
        if (target.service() != null) {
            signed("target.service", target.service(), errors);
        }
    }

    /** Every call to a worker is signed: the target needs a secret. */
    private void signed(String field, String target, List<Problems.FieldError> errors) {
        if (signing.secretFor(target).isEmpty()) {
            errors.add(new Problems.FieldError(
                    field,
                    "has no signing secret: set baton.scheduler.signing.secrets[" + target
                            + "] or baton.scheduler.signing.default-secret"));
        }
    }

    private void service(String service) {
        if (!directory.hasRegistry()) {
            throw new ErrorResponseException(
                    HttpStatus.BAD_REQUEST,
                    Problems.validation(
                            "The job definition is invalid.",
                            List.of(new Problems.FieldError(
                                    "target.service",
                                    "needs a registry, and none is configured (baton.discovery.url): use target.url"))),
                    null);
        }
        Optional<Boolean> known = directory.knows(service);
        if (known.isEmpty()) {
            throw new ErrorResponseException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemDetail.forStatusAndDetail(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "The registry cannot be reached to check the target service; try again."),
                    null);
        }
        if (!known.get()) {
            throw new ErrorResponseException(
                    HttpStatus.BAD_REQUEST,
                    Problems.validation(
                            "The job definition is invalid.",
                            List.of(new Problems.FieldError(
                                    "target.service", "is not registered: start one of its instances first"))),
                    null);
        }
    }
}
