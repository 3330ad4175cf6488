package dev.baton.system;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Registry and gateway failover: a lock-service replica killed with SIGKILL leaves the registry
 * within its TTL and a second, the gateway stops sending it requests within one more second, and
 * the lock names it served move to the surviving replica without a failed request.
 */
class FailoverIT {

    private final Cluster cluster = Cluster.get();
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    /** Takes and releases a lock through the gateway; returns the replica that served it, or the failure. */
    private String cycle(String name) {
        TestHttp http = cluster.http();
        TestHttp.Response granted = http.send(
                "POST",
                "/api/v1/locks/" + name + "/leases",
                TestApiKeys.WRITE,
                "{\"owner\":\"failover\",\"ttlMs\":10000}");
        if (granted.status() != 201) {
            return "FAILED " + granted.status() + " " + granted.body();
        }
        http.send(
                "DELETE",
                "/api/v1/locks/" + name + "/leases/"
                        + granted.json().path("leaseId").asString(),
                TestApiKeys.WRITE,
                null);
        return granted.header("X-Baton-Upstream");
    }

    private List<String> listedLockReplicas() {
        List<String> ids = new ArrayList<>();
        cluster.registry
                .http()
                .get("/api/v1/registry/services/lock-service/instances", TestApiKeys.READ)
                .json()
                .forEach(instance -> ids.add(instance.path("instanceId").asString()));
        return ids;
    }

    /** The requests the gateway has sent to an instance, by its metrics: every attempt, failed ones included. */
    private double sentTo(String instanceId) {
        return cluster.gateway
                .http()
                .get("/actuator/prometheus", TestApiKeys.READ)
                .body()
                .lines()
                .filter(line -> line.startsWith("baton_gateway_upstream_requests_total{")
                        && line.contains("instance=\"" + instanceId + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void a_killed_replica_leaves_the_registry_and_the_gateway_and_its_names_move() throws Exception {
        Report report = new Report("failover");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            names.add("failover-" + run + "-" + i);
        }
        Map<String, String> before = new HashMap<>();
        names.forEach(name -> before.put(name, cycle(name)));
        ServiceProcess victim = cluster.locks.get(1);
        String victimId = "lock-service-localhost-" + victim.port();
        long served = before.values().stream().filter(victimId::equals).count();
        report.did("%d lock names cycled through the gateway; %d served by %s", names.size(), served, victimId);
        report.check(served > 0 && served < names.size(), "both replicas served names before the fault");
        report.check(sentTo(victimId) >= served, "the gateway's metrics counted %.0f requests to it", sentTo(victimId));

        long killedAt = System.nanoTime();
        victim.kill();
        report.did("fault: SIGKILL to %s", victimId);
        long leftRegistryAt = 0;
        int failed = 0;
        int requests = 0;
        double sentAtOneSecond = -1;
        while (System.nanoTime() - killedAt
                < Duration.ofSeconds(Cluster.TTL_SECONDS + 4).toNanos()) {
            if (leftRegistryAt == 0 && !listedLockReplicas().contains(victimId)) {
                leftRegistryAt = System.nanoTime();
            }
            if (sentAtOneSecond < 0
                    && leftRegistryAt > 0
                    && System.nanoTime() - leftRegistryAt
                            >= Duration.ofSeconds(1).toNanos()) {
                sentAtOneSecond = sentTo(victimId);
            }
            for (String name : names) {
                String upstream = cycle(name);
                requests++;
                if (upstream == null || upstream.startsWith("FAILED")) {
                    failed++;
                    report.violation("%s failed after the kill: %s", name, upstream);
                }
            }
        }
        double toLeave = (leftRegistryAt - killedAt) / 1e9;
        double sentAfterOneSecond = sentAtOneSecond < 0 ? -1 : sentTo(victimId) - sentAtOneSecond;
        report.did("%d requests through the gateway after the kill, %d failed", requests, failed);
        report.check(
                leftRegistryAt > 0 && toLeave <= Cluster.TTL_SECONDS + 1,
                "the replica left the registry %.2f s after the kill (TTL %d s + 1 s allowed)",
                toLeave,
                Cluster.TTL_SECONDS);
        report.check(
                sentAfterOneSecond == 0,
                "the gateway sent the killed replica no request from a second after it "
                        + "left the registry to the end of the run (%.0f sent)",
                sentAfterOneSecond);
        report.check(failed == 0, "every request after the kill succeeded, on the surviving replica");

        ServiceProcess restarted = cluster.restartLock(1);
        report.did("restarted %s on its port", victimId);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        boolean back = false;
        while (!back && System.nanoTime() < deadline) {
            back = names.stream().map(this::cycle).anyMatch(victimId::equals);
        }
        report.check(back && restarted.isAlive(), "the restarted replica serves its names again");
        Map<String, String> afterRestart = new HashMap<>();
        names.forEach(name -> afterRestart.put(name, cycle(name)));
        List<String> elsewhere = names.stream()
                .filter(name -> !before.get(name).equals(afterRestart.get(name)))
                .toList();
        report.check(
                elsewhere.isEmpty(),
                "every name is served where it was before the kill, the ring being the "
                        + "same again (%d of %d elsewhere: %s)",
                elsewhere.size(),
                names.size(),
                elsewhere);
        report.end();
    }
}
