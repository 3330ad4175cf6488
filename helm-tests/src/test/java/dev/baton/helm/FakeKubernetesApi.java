package dev.baton.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of a Kubernetes API server, on loopback, for Helm's {@code lookup} of Secrets.
 * helm-java renders templates with lookups enabled (unlike {@code helm template}), so without a
 * server they would fail, or reach whatever listens on the default localhost:8080. It also lets a
 * test play an upgrade: a Secret put here is what {@code lookup} finds.
 */
final class FakeKubernetesApi {

    private static final String DISCOVERY = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
            {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""";

    private static final String NOT_FOUND = """
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}""";

    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    private FakeKubernetesApi() {}

    /** Starts the server and writes the kubeconfig that the KUBECONFIG variable (set by the build) names. */
    static FakeKubernetesApi start() {
        try {
            FakeKubernetesApi api = new FakeKubernetesApi();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", api::handle);
            server.setExecutor(null);
            server.start();
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null) {
                throw new IllegalStateException(
                        "KUBECONFIG must name a file for the fake API server (the build sets it)");
            }
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake
                        cluster:
                          server: http://127.0.0.1:%d
                    contexts:
                      - name: fake
                        context:
                          cluster: fake
                          user: fake
                    current-context: fake
                    users:
                      - name: fake
                        user: {}
                    """.formatted(server.getAddress().getPort()));
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code lookup} find this Secret, given as its JSON. */
    void putSecret(String namespace, String name, String json) {
        secrets.put("/api/v1/namespaces/" + namespace + "/secrets/" + name, json);
    }

    void clear() {
        secrets.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String secret = secrets.get(path);
        if (path.equals("/api/v1")) {
            respond(exchange, 200, DISCOVERY);
        } else if (secret != null) {
            respond(exchange, 200, secret);
        } else {
            respond(exchange, 404, NOT_FOUND);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
