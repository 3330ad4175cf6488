package dev.baton.system;

import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every operation of every service's OpenAPI document, sent through the gateway with malformed
 * and hostile requests: no key, a wrong key, a key without the role, bad names in every path
 * parameter, bodies of random JSON, of the wrong types, not JSON at all, and over the size
 * limit. No answer is a 5xx, every answer is a problem, and no row in the database changes.
 */
class BadInputIT {

    private static final List<String> SERVICES = List.of("registry", "lock-service", "scheduler-service");
    /** Names as they travel in a URL: a space, too long, a NUL, a traversal, a bidi override, SQL, a template. */
    private static final List<String> HOSTILE_NAMES = List.of("bad%20name", "x".repeat(201), "%00", "..%2F..%2Fetc",
            "%E2%80%AE", "%27%3B%20drop%20table%20job%3B--", "%7Bid%7D");
    private static final Set<String> BODY_METHODS = Set.of("post", "put", "patch");

    private final Cluster cluster = Cluster.get();
    private final Random random = new Random(42);

    private List<String> bodies() {
        List<String> bodies = new ArrayList<>(List.of("{", "[1, 2, 3]", "\"text\"", "42", "null", "{\"a\": {\"b\": [",
                "<xml/>", "{\"name\": 1, \"ttlMs\": \"soon\", \"schedule\": [], \"target\": 7, \"value\": {}}",
                "{\"owner\": [], \"ttlMs\": -1, \"waitMs\": 1e400, \"limit\": \"many\"}",
                "{\"status\": \"MAYBE\", \"attempt\": -3}"));
        for (int i = 0; i < 5; i++) {
            bodies.add(randomJson(3));
        }
        bodies.add("{\"value\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}");
        return bodies;
    }

    private String randomJson(int depth) {
        switch (depth <= 0 ? random.nextInt(4) : random.nextInt(6)) {
            case 0:
                return String.valueOf(random.nextLong());
            case 1:
                return "\"" + Long.toString(random.nextLong(), 36) + "\"";
            case 2:
                return random.nextBoolean() ? "true" : "null";
            case 3:
                return String.valueOf(random.nextDouble() * 1e12);
            case 4: {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(randomJson(depth - 1));
                }
                return "[" + String.join(",", items) + "]";
            }
            default: {
                List<String> members = new ArrayList<>();
                for (String field : List.of("name", "owner", "ttlMs", "schedule", "target", "value", "status")) {
                    if (random.nextBoolean()) {
                        members.add("\"" + field + "\":" + randomJson(depth - 1));
                    }
                }
                return "{" + String.join(",", members) + "}";
            }
        }
    }

    /** The number of rows of every table of the services' schemas. */
    private Map<String, Long> rows() throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        TestDatabase database = cluster.database();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("select table_schema || '.' || table_name from "
                    + "information_schema.tables where table_schema in ('registry', 'locks', 'scheduler') "
                    + "and table_name not in ('shedlock', 'flyway_schema_history', 'replica', 'instance') "
                    + "order by 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    rows.put(table, rs.getLong(1));
                }
            }
        }
        return rows;
    }

    @Test
    void hostile_requests_get_4xx_problems_and_change_nothing() throws Exception {
        Report report = new Report("bad input");
        Map<String, Long> before = rows();
        TestHttp gateway = cluster.http();
        int sent = 0;
        int operations = 0;
        for (String service : SERVICES) {
            JsonNode document = gateway.get("/" + service + "/v3/api-docs", null).json();
            for (var path : document.path("paths").properties()) {
                for (var operation : path.getValue().properties()) {
                    operations++;
                    sent += hostile(report, gateway, path.getKey(), operation.getKey(), operation.getValue());
                }
            }
        }
        report.did("%d hostile requests to %d operations of %d services, through the gateway", sent, operations,
                SERVICES.size());
        Map<String, Long> after = rows();
        report.check(before.equals(after), "no table's row count changed (%d tables)", before.size());
        report.end();
    }

    /** Sends an operation every hostile request it has; returns how many. */
    private int hostile(Report report, TestHttp gateway, String template, String method, JsonNode operation) {
        int sent = 0;
        boolean hasBody = BODY_METHODS.contains(method);
        String emptyBody = hasBody ? "{}" : null;
        for (String key : new String[] {null, "not-a-key"}) {
            expectProblem(report, gateway, method, template.replaceAll("\\{[^}]+}", "name"), key, emptyBody);
            sent++;
        }
        if (!method.equals("get")) {
            expectProblem(report, gateway, method, template.replaceAll("\\{[^}]+}", "name"), TestApiKeys.READ,
                    emptyBody);
            sent++;
        }
        List<String> urls = new ArrayList<>();
        if (template.contains("{")) {
            HOSTILE_NAMES.forEach(name -> urls.add(template.replaceAll("\\{[^}]+}", name)));
        } else if (hasBody) {
            urls.add(template);
        }
        for (JsonNode parameter : operation.path("parameters")) {
            String bad = badQueryValue(parameter);
            if (bad != null && !template.contains("{")) {
                urls.add(template + "?" + parameter.path("name").asString() + "=" + bad);
            }
        }
        for (String url : urls) {
            expectProblem(report, gateway, method, url, TestApiKeys.ADMIN, emptyBody);
            sent++;
            if (hasBody) {
                for (String body : bodies()) {
                    expectProblem(report, gateway, method, url, TestApiKeys.ADMIN, body);
                    sent++;
                }
            }
        }
        return sent;
    }

    /** A value of the wrong type or out of range for a query parameter, or null when any text is valid. */
    private static String badQueryValue(JsonNode parameter) {
        if (!parameter.path("in").asString().equals("query")) {
            return null;
        }
        JsonNode schema = parameter.path("schema");
        String type = schema.path("type").asString();
        if (type.equals("integer") || type.equals("number")) {
            return "not-a-number";
        }
        if (!schema.path("enum").isMissingNode()) {
            return "NOT_A_VALUE";
        }
        if (parameter.path("name").asString().equals("wait")) {
            return "forever";
        }
        return null;
    }

    private void expectProblem(Report report, TestHttp gateway, String method, String url, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.gateway.url() + url));
        request.method(method.toUpperCase(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        request.header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        TestHttp.Response response;
        try {
            response = gateway.send(request.build());
        } catch (RuntimeException e) {
            report.violation("%s %s failed to answer: %s", method, url, e.getMessage());
            return;
        }
        if (response.status() >= 500 || response.status() < 400 || !response.isProblem()) {
            report.violation("%s %s (key %s, body %s) answered %d %s %s", method.toUpperCase(), url, key,
                    body == null ? "none" : body.length() > 60 ? body.substring(0, 60) + "..." : body,
                    response.status(), response.contentType(), response.body().length() > 200
                            ? response.body().substring(0, 200) : response.body());
        }
    }
}
