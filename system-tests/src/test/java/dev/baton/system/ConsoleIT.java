package dev.baton.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The web console in a real browser, on Baton as deployed: the gateway serves it and calls the
 * services with the signed-in key. Each page a test visits is saved as a screenshot under
 * {@code target/console-screenshots}.
 */
@ExtendWith(Chromium.class)
class ConsoleIT {

    private final Cluster cluster = Cluster.get();
    private ChromeDriver browser;
    private WebDriverWait wait;
    private String test;
    private int shots;

    @BeforeEach
    void startBrowser(TestInfo info) {
        browser = Chromium.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        test = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void stopBrowser() {
        browser.quit();
    }

    @Test
    void a_user_signs_in_with_a_key_and_sees_the_overview() {
        open("/console");
        assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
        shot("sign-in");

        signIn("not-a-key-of-this-suite");
        assertThat(browser.findElement(By.id("sign-in-refused")).getText()).contains("not known");
        shot("sign-in-refused");

        signIn(TestApiKeys.ADMIN);
        wait.until(ExpectedConditions.urlMatches(".*/console$"));
        WebElement locks = browser.findElement(By.cssSelector("article[data-service='lock-service']"));
        assertThat(locks.findElements(By.cssSelector("li.up"))).hasSize(cluster.locks.size());
        WebElement schedulers = browser.findElement(By.cssSelector("article[data-service='scheduler-service']"));
        assertThat(schedulers.findElements(By.cssSelector("li.up"))).hasSize(cluster.schedulers.size());
        assertThat(browser.findElements(By.cssSelector("#services tbody a")))
                .extracting(WebElement::getText)
                .contains("lock-service", "scheduler-service");
        for (String count : new String[] {"active-leases", "jobs-running", "failed-last-hour"}) {
            assertThat(browser.findElement(By.id(count)).getText()).as(count).matches("\\d+");
        }
        wait.until(driver -> (Boolean) ((JavascriptExecutor) driver)
                .executeScript("return Chart.getChart(document.getElementById('executions-chart'))?.data.labels.length"
                        + " >= 60;"));
        shot("overview");

        browser.manage().window().setSize(new Dimension(390, 844));
        open("/console");
        assertThat(((JavascriptExecutor) browser)
                        .executeScript("return document.documentElement.scrollWidth <= window.innerWidth;"))
                .as("nothing wider than a 390 px screen")
                .isEqualTo(true);
        shot("overview-390px");
    }

    @Test
    void a_lock_taken_through_the_api_appears_without_a_reload_and_an_admin_force_releases_it() {
        String prefix = "console-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        String name = prefix + "orders";
        signIn(TestApiKeys.ADMIN);
        open("/console/locks?prefix=" + prefix);
        assertThat(browser.findElement(By.id("rows")).getText()).contains("Nothing under this prefix");
        markPage();

        TestHttp.Response lease =
                cluster.http().send("POST", "/api/v1/locks/" + name + "/leases", TestApiKeys.WRITE, """
                        {"owner":"console-it","ttlMs":60000}""");
        assertThat(lease.status()).as(lease.body()).isEqualTo(201);
        By row = By.cssSelector("#rows tr[data-name='" + name + "'] td.holders");
        wait.until(ExpectedConditions.textToBe(row, "1"));
        assertThat(pageMarked()).as("the row appeared without a reload").isTrue();
        shot("locks-live");

        browser.findElement(By.linkText(name)).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("force-release")));
        assertThat(browser.findElement(By.id("holders")).getText()).contains("console-it");
        shot("lock");
        browser.findElement(By.id("force-release")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("holders"), "Nobody holds it"));
        assertThat(browser.findElements(By.id("force-release"))).isEmpty();
        shot("lock-force-released");

        TestHttp.Response after = cluster.http().get("/api/v1/locks/" + name, TestApiKeys.READ);
        assertThat(after.json().path("holders")).isEmpty();
        TestHttp.Response renewal = cluster.http()
                .send(
                        "PUT",
                        "/api/v1/locks/" + name + "/leases/"
                                + lease.json().path("leaseId").asString(),
                        TestApiKeys.WRITE,
                        "{\"ttlMs\":60000}");
        assertThat(renewal.status()).isEqualTo(410);
    }

    @Test
    void a_config_edit_that_another_change_overtook_shows_both_and_a_version_is_rolled_back() {
        String ns = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/v1/config/" + ns + "/greeting";
        assertThat(putConfig(path, "first").status()).isEqualTo(200);
        signIn(TestApiKeys.ADMIN);
        open("/console/config/namespace?ns=" + ns);
        browser.findElement(By.linkText("greeting")).click();
        WebElement value = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("value")));
        assertThat(value.getAttribute("value")).isEqualTo("first");
        value.clear();
        value.sendKeys("mine");
        assertThat(putConfig(path, "theirs").status()).isEqualTo(200);
        browser.findElement(By.id("save")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("conflict")));
        assertThat(browser.findElement(By.id("mine")).getText()).isEqualTo("mine");
        assertThat(browser.findElement(By.id("theirs")).getText()).isEqualTo("theirs");
        assertThat(cluster.http()
                        .get(path, TestApiKeys.READ)
                        .json()
                        .path("value")
                        .asString())
                .isEqualTo("theirs");
        shot("config-conflict");
        browser.findElement(By.id("save")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("tr[data-key='greeting'] td.value"), "mine"));
        assertThat(browser.findElement(By.cssSelector("tr[data-key='greeting'] td.version"))
                        .getText())
                .isEqualTo("3");
        shot("config-namespace");

        browser.findElement(By.linkText("History")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("diff")));
        assertThat(browser.findElement(By.id("diff")).getText()).contains("- theirs", "+ mine");
        shot("config-history");
        browser.findElement(By.xpath("//button[text()='Roll back to 1']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-version='4']")));
        TestHttp.Response rolledBack = cluster.http().get(path, TestApiKeys.READ);
        assertThat(rolledBack.json().path("value").asString()).isEqualTo("first");
        assertThat(rolledBack.json().path("version").asLong()).isEqualTo(4);
        shot("config-rolled-back");
    }

    @Test
    void a_job_with_a_bad_cron_shows_the_error_at_its_field_and_once_fixed_is_created_and_triggered() {
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext worker = SystemWorker.start(cluster)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> cluster.http()
                                    .get("/api/v1/registry/services/system-worker/instances", TestApiKeys.READ)
                                    .json()
                                    .size()
                            > 0);
            signIn(TestApiKeys.ADMIN);
            open("/console/jobs");
            browser.findElement(By.id("new-job")).click();
            type("name", name);
            type("schedule.cron", "0 0 99 * * *");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview"), "cron expression"));
            type("schedule.zone", "Asia/Shanghai");
            type("target.service", "system-worker");
            type("target.path", "/baton/tasks/record");
            browser.findElement(By.id("save-job")).click();

            WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector(".field-error[data-field='schedule.cron']")));
            assertThat(error.getText()).contains("cron");
            assertThat(browser.findElement(By.id("schedule.cron")).getAttribute("aria-invalid"))
                    .isEqualTo("true");
            shot("job-form-error");

            type("schedule.cron", "0 0 2 * * *");
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#preview li"), 5));
            assertThat(browser.findElement(By.cssSelector("#preview li")).getText())
                    .endsWith("02:00:00 +08:00");
            shot("job-form-preview");
            browser.findElement(By.id("save-job")).click();

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("trigger")));
            By manual = By.xpath("//table[@id='executions']//tr[td[2]='MANUAL']");
            assertThat(browser.findElements(manual)).isEmpty();
            markPage();
            browser.findElement(By.id("trigger")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(manual));
            wait.until(ExpectedConditions.textToBe(
                    By.xpath("//table[@id='executions']//tr[td[2]='MANUAL']/td[3]"), "SUCCEEDED"));
            assertThat(pageMarked())
                    .as("the execution appeared and finished without a reload")
                    .isTrue();
            shot("job");
            // The table refreshes itself while the run goes on: each look finds the row again.
            WebDriverWait row = new WebDriverWait(browser, Duration.ofSeconds(15));
            row.ignoring(StaleElementReferenceException.class);
            String id = row.until(page -> page.findElement(manual).getAttribute("data-execution"));
            assertThat(cluster.http()
                            .get("/api/v1/executions/" + id, TestApiKeys.READ)
                            .json()
                            .path("status")
                            .asString())
                    .isEqualTo("SUCCEEDED");
            row.until(page -> {
                page.findElement(manual).findElement(By.tagName("a")).click();
                return true;
            });
            wait.until(ExpectedConditions.textToBe(By.id("status"), "SUCCEEDED"));
            shot("execution");
        }
    }

    @Test
    void a_read_key_sees_no_change_buttons_and_a_change_posted_anyway_is_a_403_problem() {
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8) + ":held";
        TestHttp.Response lease =
                cluster.http().send("POST", "/api/v1/locks/" + name + "/leases", TestApiKeys.WRITE, """
                        {"owner":"console-it","ttlMs":60000}""");
        assertThat(lease.status()).as(lease.body()).isEqualTo(201);
        signIn(TestApiKeys.READ);
        open("/console/locks/resource?name=" + name);
        assertThat(browser.findElement(By.id("holders")).getText()).contains("console-it");
        assertThat(browser.findElements(By.id("force-release"))).isEmpty();
        assertThat(browser.findElements(By.tagName("button")))
                .extracting(WebElement::getText)
                .containsExactly("Sign out");
        shot("lock-read-only");

        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const token = document.querySelector('meta[name="csrf-token"]').content;
                fetch('/console/locks/resource/force-release?name=' + encodeURIComponent(arguments[0]), {
                    method: 'POST', headers: {'X-CSRF-Token': token, 'Accept': 'application/problem+json'}})
                  .then(r => r.json().then(body => done({status: r.status, type: r.headers.get('Content-Type'),
                                                          title: body.title})));
                """, name);
        assertThat(answer).containsEntry("status", 403L).containsEntry("title", "Forbidden");
        assertThat((String) answer.get("type")).startsWith("application/problem+json");
        assertThat(cluster.http()
                        .get("/api/v1/locks/" + name, TestApiKeys.READ)
                        .json()
                        .path("holders"))
                .hasSize(1);
    }

    @Test
    void an_admin_creates_a_key_seen_once_finds_it_in_the_audit_log_and_revokes_it() {
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        signIn(TestApiKeys.ADMIN);
        open("/console/keys");
        type("key-name", name);
        type("scope.locks", name + "/");
        browser.findElement(By.cssSelector("input[name='roles'][value='WRITE']"))
                .click();
        browser.findElement(By.id("create-key")).click();
        String key = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("created-key")))
                .getText();
        assertThat(key).startsWith("baton_");
        assertThat(browser.findElement(By.cssSelector("tr[data-key='" + name + "']"))
                        .getText())
                .doesNotContain(key)
                .contains(name + "/");
        shot("keys-created");

        open("/console/audit?kind=locks&keyName=" + name);
        assertThat(browser.findElement(By.id("audit")).getText()).contains("No entry matches");
        markPage();
        TestHttp.Response lease = cluster.http()
                .send(
                        "POST",
                        "/api/v1/locks/" + name + "%2Fx/leases",
                        key,
                        "{\"owner\":\"console-it\",\"ttlMs\":10000}");
        assertThat(lease.status()).as(lease.body()).isEqualTo(201);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit"), name + "/x"));
        assertThat(pageMarked()).as("the entry appeared without a reload").isTrue();
        shot("audit");

        open("/console/keys");
        markPage();
        String other = name + "-api";
        TestHttp.Response created = cluster.http()
                .send("POST", "/api/v1/keys", TestApiKeys.ADMIN, "{\"name\":\"" + other + "\",\"roles\":[\"READ\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-key='" + other + "']")));
        assertThat(pageMarked()).as("the key appeared without a reload").isTrue();
        shot("keys-live");

        open("/console/keys");
        browser.findElement(By.cssSelector("tr[data-key='" + name + "'] button"))
                .click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-key='" + name + "']"), 0));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> cluster.http()
                                .get("/api/v1/locks/" + name + "%2Fx", key)
                                .status()
                        == 401);
        shot("keys-revoked");
    }

    @Test
    void after_signing_out_the_next_page_asks_to_sign_in() {
        signIn(TestApiKeys.ADMIN);
        open("/console/registry");
        assertThat(browser.findElements(By.cssSelector("tbody a")))
                .extracting(WebElement::getText)
                .contains("lock-service");
        shot("registry");
        browser.findElement(By.xpath("//button[text()='Sign out']")).click();
        wait.until(ExpectedConditions.urlMatches(".*/console/sign-in$"));
        open("/console/registry");
        assertThat(browser.getCurrentUrl()).endsWith("/console/sign-in");
        assertThat(browser.manage().getCookieNamed("BATON_CONSOLE")).isNull();
        shot("signed-out");
    }

    private TestHttp.Response putConfig(String path, String value) {
        return cluster.http().send("PUT", path, TestApiKeys.ADMIN, "{\"value\":\"" + value + "\"}");
    }

    private void type(String field, String value) {
        WebElement input = browser.findElement(By.id(field));
        input.clear();
        input.sendKeys(value);
    }

    private void signIn(String key) {
        open("/console/sign-in");
        browser.findElement(By.id("key")).sendKeys(key);
        browser.findElement(By.cssSelector("form button[type='submit']")).click();
        wait.until(ExpectedConditions.or(
                ExpectedConditions.urlMatches(".*/console$"),
                ExpectedConditions.presenceOfElementLocated(By.id("sign-in-refused"))));
    }

    private void open(String path) {
        browser.get(cluster.gateway.url() + path);
    }

    /** Marks the page in the browser's memory: a reload loses the mark. */
    private void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.batonMark = 'unchanged';");
    }

    private boolean pageMarked() {
        return "unchanged".equals(((JavascriptExecutor) browser).executeScript("return window.batonMark;"));
    }

    private void shot(String page) {
        Chromium.screenshot(browser, test + "-" + (++shots) + "-" + page);
    }
}
