package dev.baton.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole suite on one machine: a PostgreSQL (embedded, unless {@code BATON_DB_URL} names
 * one), then registry, lock-service, scheduler-service and gateway, each as its own process from
 * its own jar, exactly as they run in production. Ctrl-C stops them all, gateway first.
 */
public final class BatonLocal {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private BatonLocal() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path home =
                Path.of(env("BATON_HOME", root.resolve(".baton").toString())).toAbsolutePath();
        Files.createDirectories(home.resolve("logs"));

        String adminKey = LocalSecrets.adminKey(home);
        String signingSecret = LocalSecrets.signingSecret(home);
        String consoleSecret = LocalSecrets.consoleSecret(home);
        LocalDatabase database = LocalDatabase.open(home);
        List<ServiceProcess> services = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(services, database), "baton-local-stop"));

        // The services register with the registry under a key of their own, new at every start.
        String serviceKey = LocalSecrets.generate();
        Map<String, String> environment = Map.of(
                "BATON_DB_URL",
                database.url(),
                "BATON_DB_USER",
                database.user(),
                "BATON_DB_PASSWORD",
                database.password(),
                "BATON_DISCOVERY_URL",
                "http://localhost:8081",
                "BATON_DISCOVERY_API_KEY",
                serviceKey,
                "BATON_DISCOVERY_HOST",
                "localhost",
                // Every service and worker runs on this machine: the scheduler may call loopback.
                "BATON_SCHEDULER_EGRESS_ALLOW",
                "127.0.0.0/8,::1,localhost",
                "BATON_SCHEDULER_SIGNING_DEFAULTSECRET",
                signingSecret,
                // The gateway reaches the services over loopback: its X-Forwarded-For is believed.
                "BATON_SECURITY_TRUSTEDPROXIES",
                "127.0.0.0/8,::1",
                "BATON_CONSOLE_SESSIONSECRET",
                consoleSecret);
        List<String> arguments = List.of(
                "--baton.security.api-keys[0].name=admin",
                "--baton.security.api-keys[0].sha256=" + LocalSecrets.sha256(adminKey),
                "--baton.security.api-keys[0].roles=ADMIN",
                "--baton.security.api-keys[1].name=baton-services",
                "--baton.security.api-keys[1].sha256=" + LocalSecrets.sha256(serviceKey),
                "--baton.security.api-keys[1].roles=WRITE",
                // The gateway routes to the replicas the registry lists, by a consistent hash of each request's key.
                "--baton.gateway.upstreams.lock-service=lb://lock-service",
                "--baton.gateway.upstreams.scheduler-service=lb://scheduler-service");
        for (ServiceProcess.Definition definition : ServiceProcess.SUITE) {
            services.add(ServiceProcess.start(definition, root, home.resolve("logs"), environment, arguments));
        }
        System.out.println("Starting " + services.size() + " services; logs in " + home.resolve("logs"));
        for (ServiceProcess service : services) {
            service.awaitReady(START_TIMEOUT);
        }

        String gateway = "http://localhost:" + ServiceProcess.GATEWAY.port();
        System.out.printf("""

                Baton is running.
                  Gateway:     %1$s
                  Console:     %1$s/console (sign in with the admin key)
                  Swagger UI:  %1$s/swagger-ui.html
                  Admin key:   %2$s
                  Workers:     baton.worker.signing-secrets=%4$s
                  Try:         curl -H "Authorization: Bearer %2$s" %1$s/api/v1/auth/whoami
                  Services:    registry :8081, lock-service :8082, scheduler-service :8083
                  Database:    %3$s
                Press Ctrl-C to stop.
                %n""", gateway, adminKey, database.url(), signingSecret);

        ServiceProcess exited = ServiceProcess.awaitAnyExit(services);
        System.err.println(exited.name() + " stopped unexpectedly (exit " + exited.exitCode() + "); last lines of "
                + exited.log() + ":");
        exited.printLogTail(System.err, 30);
        System.exit(1);
    }

    private static void stopAll(List<ServiceProcess> services, LocalDatabase database) {
        System.out.println("Stopping Baton...");
        List<ServiceProcess> reversed = new ArrayList<>(services);
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServiceProcess::requestStop);
        reversed.forEach(service -> service.awaitStop(Duration.ofSeconds(30)));
        database.close();
        System.out.println("Baton stopped.");
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
