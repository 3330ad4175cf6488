package dev.baton.scheduler.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.scheduler.SchedulerTest;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** A scheduler with the default egress settings, which the other tests widen to loopback. */
@TestPropertySource(properties = "baton.scheduler.egress.allow=")
class EgressDefaultsTest extends SchedulerTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/",
                "http://127.0.0.1:1/",
                "http://[fd00:ec2::254]/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://localhost:8083/"
            })
    void a_job_whose_url_reaches_metadata_or_loopback_is_refused_with_a_400_naming_target_url(String url) {
        TestHttp.Response response =
                http().send("POST", "/api/v1/jobs", TestApiKeys.WRITE, """
                {"name": "%s", "schedule": {"type": "ONCE", "at": "2099-01-01T00:00:00Z"},
                 "target": {"url": "%s"}}""".formatted(unique("ssrf"), url));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        JsonNode error = response.json().path("errors").get(0);
        assertThat(error.path("field").asString()).isEqualTo("target.url");
        assertThat(error.path("message").asString()).contains("may not be called");
        assertThat(response.json().path("errors").size()).isEqualTo(1);
    }
}
