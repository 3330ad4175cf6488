package dev.baton.system;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped for a while and started again: the services report not-ready and answer
 * 503 problems meanwhile, recover without a restart, and no fencing token is issued twice.
 */
class DatabaseOutageIT {

    /** How soon a request meets the outage: the pool's connection timeout (5 s) and a second of slack. */
    private static final Duration OUTAGE_ANSWER_BOUND = Duration.ofSeconds(6);

    private final Cluster cluster = Cluster.get();
    private final String name = "outage-" + UUID.randomUUID().toString().substring(0, 6);

    private final Set<Long> tokens = new HashSet<>();
    private final List<Long> order = new ArrayList<>();

    /**
     * Takes and releases the lock; returns the lease's fencing token, checked to be new and
     * larger than every one before it, or -1 when it was not granted.
     */
    private long cycle(Report report) {
        TestHttp.Response granted = acquire();
        if (granted.status() != 201) {
            return -1;
        }
        long token = granted.json().path("token").asLong();
        if (!tokens.add(token) || !order.isEmpty() && token <= order.get(order.size() - 1)) {
            String message = "token " + token + " after " + order;
            if (report == null) {
                throw new AssertionError(message);
            }
            report.violation("%s", message);
        }
        order.add(token);
        cluster.http()
                .send(
                        "DELETE",
                        "/api/v1/locks/" + name + "/leases/"
                                + granted.json().path("leaseId").asString(),
                        TestApiKeys.WRITE,
                        null);
        return token;
    }

    private TestHttp.Response acquire() {
        return cluster.http()
                .send(
                        "POST",
                        "/api/v1/locks/" + name + "/leases",
                        TestApiKeys.WRITE,
                        "{\"owner\":\"outage\",\"ttlMs\":500}");
    }

    private List<ServiceProcess> stateful() {
        List<ServiceProcess> services = new ArrayList<>(List.of(cluster.registry));
        services.addAll(cluster.locks);
        services.addAll(cluster.schedulers);
        return services;
    }

    private static int readiness(ServiceProcess service) {
        return service.http().get("/actuator/health/readiness", null).status();
    }

    private static boolean within(Duration timeout, Predicate<Void> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.test(null)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @Test
    void services_answer_503_while_the_database_is_down_and_recover_without_a_restart() throws Exception {
        Report report = new Report("database outage");
        for (int i = 0; i < 20; i++) {
            report.check(cycle(report) > 0, "lease %d before the outage granted", i);
        }

        cluster.postgres.stop();
        report.did("fault: PostgreSQL stopped");
        report.check(
                within(Duration.ofSeconds(20), none -> stateful().stream().allMatch(s -> readiness(s) == 503)),
                "every stateful service reports not ready");
        int answers = 0;
        int problems503 = 0;
        List<Supplier<TestHttp.Response>> requests = new ArrayList<>();
        for (String path : List.of("/api/v1/locks/" + name, "/api/v1/jobs", "/api/v1/config/outage/key")) {
            requests.add(() -> cluster.http().get(path, TestApiKeys.READ));
        }
        requests.add(this::acquire);
        for (Supplier<TestHttp.Response> request : requests) {
            long started = System.nanoTime();
            TestHttp.Response response = request.get();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            answers++;
            if (response.status() == 503
                    && response.isProblem()
                    && response.header("Retry-After") != null
                    && took.compareTo(OUTAGE_ANSWER_BOUND) <= 0) {
                problems503++;
            } else {
                report.violation(
                        "request %d during the outage answered %d (Retry-After %s) after %d ms: %s",
                        answers, response.status(), response.header("Retry-After"), took.toMillis(), response.body());
            }
        }
        report.check(answers == requests.size() && answers > 0, "%d requests sent during the outage", answers);
        report.did(
                "%d requests during the outage, %d answered 503 problem+json with Retry-After within %d ms",
                answers, problems503, OUTAGE_ANSWER_BOUND.toMillis());

        Thread.sleep(3000);
        cluster.postgres.start();
        report.did("PostgreSQL started again after the outage");
        report.check(
                within(Duration.ofSeconds(30), none -> stateful().stream().allMatch(s -> readiness(s) == 200)),
                "every stateful service is ready again, without a restart");
        boolean granted = within(Duration.ofSeconds(30), none -> cycle(null) > 0);
        report.check(granted, "leases are granted again through the gateway");
        for (int i = 0; i < 20; i++) {
            report.check(cycle(report) > 0, "lease %d after the outage granted", i);
        }
        report.did("%d fencing tokens issued in all, none twice, in increasing order", order.size());
        report.end();
    }
}
