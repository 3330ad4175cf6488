package dev.baton.system;

import dev.baton.test.ServiceProcess;
import dev.baton.test.TestApiKeys;
import dev.baton.test.TestDatabase;
import dev.baton.test.TestHttp;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every operation of every service's OpenAPI document, sent through the gateway and to the
 * service itself with malformed and hostile requests derived from its own schema: every body
 * field, query parameter and path variable in turn given NUL, an unpaired surrogate, bytes that
 * are not UTF-8, a huge number, deep nesting or a value of the wrong type, and bodies that name a
 * member twice; besides, through the gateway, no key, a wrong key, a key without the role, random
 * JSON, and a body over the size limit. No answer is a 5xx, every answer is a problem, and no
 * table's content changes.
 */
class BadInputIT {

    private static final List<String> SERVICES = List.of("registry", "lock-service", "scheduler-service");
    /** Names as they travel in a URL: a space, too long, a NUL, a traversal, a bidi override, SQL, a template. */
    private static final List<String> HOSTILE_NAMES = List.of(
            "bad%20name",
            "x".repeat(201),
            "%00",
            "..%2F..%2Fetc",
            "%E2%80%AE",
            "%27%3B%20drop%20table%20job%3B--",
            "%7Bid%7D",
            "%FF",
            "%ED%A0%80");
    /** Query values no parameter may take: a NUL, bytes that are not UTF-8, an encoded surrogate. */
    private static final List<String> HOSTILE_QUERY_TEXT = List.of("a%00b", "%FF", "%ED%A0%80", "%C3");

    private static final Set<String> BODY_METHODS = Set.of("post", "put", "patch");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Stands in a body for the hostile value it is replaced with, byte for byte. */
    private static final String MARK = "__hostile__";
    /** Volatile columns a heartbeat or a sweep moves by itself; every other column of every table is compared. */
    private static final List<String> VOLATILE = List.of(
            "expires_at",
            "last_heartbeat",
            "lock_until",
            "locked_at",
            "locked_by",
            "listener_pid",
            "listener_started",
            "heartbeat_at",
            "renewed_at");

    /** What a body field holds, as its schema says: what makes a value hostile to it. */
    private enum Kind {
        TEXT,
        FREE_FORM,
        OBJECT,
        OTHER
    }

    /**
     * A value a field may not take, as raw body bytes.
     *
     * @param what what it is, for the report
     * @param bytes its JSON text, or bytes that are not UTF-8
     * @param hostileTo the kinds of field it is hostile to
     */
    private record Hostile(String what, byte[] bytes, Set<Kind> hostileTo) {

        static Hostile json(String what, String text, Set<Kind> hostileTo) {
            return new Hostile(what, text.getBytes(StandardCharsets.UTF_8), hostileTo);
        }
    }

    private static final Set<Kind> ANY = Set.of(Kind.values());

    private static final List<Hostile> HOSTILE_VALUES = List.of(
            Hostile.json("NUL", "\"a\\u0000b\"", ANY),
            Hostile.json("an unpaired surrogate", "\"\\ud800\"", ANY),
            new Hostile("bytes that are not UTF-8", new byte[] {'"', 'a', (byte) 0xFF, (byte) 0xFE, '"'}, ANY),
            Hostile.json("deep nesting", "[".repeat(3000) + "]".repeat(3000), ANY),
            Hostile.json("a huge number", "1" + "0".repeat(400), Set.of(Kind.OBJECT, Kind.OTHER)),
            Hostile.json("a number past double", "1e400", Set.of(Kind.OBJECT, Kind.OTHER)),
            Hostile.json("an object", "{\"nested\":{\"deeper\":[]}}", Set.of(Kind.TEXT, Kind.OTHER)),
            Hostile.json("text", "\"not-of-this-type\"", Set.of(Kind.OBJECT, Kind.OTHER)));

    private static Kind kind(JsonNode schema) {
        String type = schema.path("type").asString("");
        if (type.equals("string") && schema.path("enum").isMissingNode()) {
            return Kind.TEXT;
        }
        if (type.isEmpty() && !schema.has("properties") && !schema.has("additionalProperties")) {
            return Kind.FREE_FORM;
        }
        return type.equals("object") || type.isEmpty() ? Kind.OBJECT : Kind.OTHER;
    }

    private final Cluster cluster = Cluster.get();
    private final Random random = new Random(42);
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    private List<String> bodies() {
        List<String> bodies = new ArrayList<>(List.of(
                "{",
                "[1, 2, 3]",
                "\"text\"",
                "42",
                "null",
                "{\"a\": {\"b\": [",
                "<xml/>",
                "{\"name\": 1, \"ttlMs\": \"soon\", \"schedule\": [], \"target\": 7, \"value\": {}}",
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

    /** Every table of the services' schemas, each as its rows' text in order, volatile columns left out. */
    private Map<String, String> contents() throws SQLException {
        Map<String, String> contents = new LinkedHashMap<>();
        TestDatabase database = cluster.database();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("select table_schema || '.' || table_name from "
                    + "information_schema.tables where table_schema in ('registry', 'locks', 'scheduler') "
                    + "and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history' order by 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            String volatileColumns = "array['" + String.join("','", VOLATILE) + "']";
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery(
                        "select coalesce(string_agg(r, E'\\n' order by r), '') " + "from (select (to_jsonb(t) - "
                                + volatileColumns + ")::text as r from " + table + " t) rows")) {
                    rs.next();
                    contents.put(table, rs.getString(1));
                }
            }
        }
        return contents;
    }

    @Test
    void hostile_requests_get_4xx_problems_and_change_nothing() throws Exception {
        Report report = new Report("bad input");
        Map<String, String> before = contents();
        TestHttp http = cluster.http();
        int sent = 0;
        int operations = 0;
        Set<String> reached = new TreeSet<>();
        String through = cluster.gateway.url();
        for (String service : SERVICES) {
            JsonNode document = http.get("/" + service + "/v3/api-docs", null).json();
            String direct = direct(service).url();
            for (var path : document.path("paths").properties()) {
                for (var operation : path.getValue().properties()) {
                    operations++;
                    Operation op = new Operation(document, path.getKey(), operation.getKey(), operation.getValue());
                    sent += hostile(report, http, through, op);
                    sent += fromSchema(report, http, through, op, reached);
                    sent += fromSchema(report, http, direct, op, reached);
                }
            }
        }
        report.did(
                "%d hostile requests to %d operations of %d services, through the gateway and to each directly",
                sent, operations, SERVICES.size());
        report.did("hostile values reached %d body fields, query parameters and path variables", reached.size());
        report.check(
                operations > 20 && sent > 2000 && reached.size() > 100,
                "every service's document was read and attacked (%d operations, %d requests, %d inputs)",
                operations,
                sent,
                reached.size());
        Map<String, String> after = contents();
        report.check(
                before.keySet().equals(after.keySet()) && before.keySet().size() > 10,
                "the same %d tables before and after",
                before.size());
        for (String table : before.keySet()) {
            report.check(
                    Objects.equals(before.get(table), after.get(table)),
                    "%s has the content it had before: %s",
                    table,
                    firstDifference(before.get(table), after.get(table)));
        }
        report.end();
    }

    private ServiceProcess direct(String service) {
        switch (service) {
            case "registry":
                return cluster.registry;
            case "lock-service":
                return cluster.locks.get(0);
            default:
                return cluster.schedulers.get(0);
        }
    }

    private static String firstDifference(String before, String after) {
        if (Objects.equals(before, after)) {
            return "unchanged";
        }
        List<String> was = before == null ? List.of() : before.lines().toList();
        List<String> is = after == null ? List.of() : after.lines().toList();
        for (String row : is) {
            if (!was.contains(row)) {
                return "new or changed row " + row;
            }
        }
        return "rows gone: "
                + was.stream().filter(row -> !is.contains(row)).findFirst().orElse("?");
    }

    /** One operation of a document: where it is, how it is called, and what it takes. */
    private record Operation(JsonNode document, String template, String method, JsonNode spec) {

        boolean hasBody() {
            return BODY_METHODS.contains(method);
        }

        List<JsonNode> parameters(String in) {
            List<JsonNode> parameters = new ArrayList<>();
            spec.path("parameters").forEach(parameter -> {
                if (parameter.path("in").asString().equals(in)) {
                    parameters.add(parameter);
                }
            });
            return parameters;
        }

        /** The JSON body's schema, resolved, or null when the operation takes none. */
        JsonNode bodySchema() {
            JsonNode schema = spec.path("requestBody")
                    .path("content")
                    .path("application/json")
                    .path("schema");
            return schema.isMissingNode() ? null : resolve(schema);
        }

        JsonNode resolve(JsonNode schema) {
            String ref = schema.path("$ref").asString("");
            return ref.startsWith("#/components/schemas/")
                    ? document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()))
                    : schema;
        }
    }

    /**
     * Sends the operation, with valid-looking values everywhere else, one hostile value at a time
     * in each of its path variables, query parameters and body fields; returns how many requests.
     */
    private int fromSchema(Report report, TestHttp http, String base, Operation operation, Set<String> reached) {
        int sent = 0;
        Map<String, String> pathValues = new LinkedHashMap<>();
        for (JsonNode parameter : operation.parameters("path")) {
            pathValues.put(
                    parameter.path("name").asString(), plausiblePathValue(operation.resolve(parameter.path("schema"))));
        }
        byte[] body = operation.hasBody() ? plausibleBody(operation) : null;
        for (String variable : pathValues.keySet()) {
            for (String hostile : HOSTILE_NAMES) {
                Map<String, String> values = new LinkedHashMap<>(pathValues);
                values.put(variable, hostile);
                expectProblem(
                        report,
                        http,
                        base,
                        operation.method(),
                        url(operation.template(), values),
                        TestApiKeys.ADMIN,
                        body);
                sent++;
            }
            reached.add(operation.template() + " {" + variable + "}");
        }
        String plain = url(operation.template(), pathValues);
        for (JsonNode parameter : operation.parameters("query")) {
            String name = parameter.path("name").asString();
            List<String> values = new ArrayList<>(HOSTILE_QUERY_TEXT);
            String wrongType = badQueryValue(operation.resolve(parameter.path("schema")), name);
            if (wrongType != null) {
                values.add(wrongType);
            }
            for (String value : values) {
                expectProblem(
                        report,
                        http,
                        base,
                        operation.method(),
                        plain + "?" + name + "=" + value,
                        TestApiKeys.ADMIN,
                        body);
                sent++;
            }
            reached.add(operation.template() + " ?" + name);
        }
        JsonNode schema = operation.bodySchema();
        if (schema != null && schema.path("properties").isObject()) {
            for (var property : schema.path("properties").properties()) {
                Kind kind = kind(operation.resolve(property.getValue()));
                for (Hostile hostile : HOSTILE_VALUES) {
                    if (!hostile.hostileTo().contains(kind)) {
                        continue;
                    }
                    expectProblem(
                            report,
                            http,
                            base,
                            operation.method(),
                            plain,
                            TestApiKeys.ADMIN,
                            withField(operation, property.getKey(), hostile.bytes()));
                    sent++;
                }
                reached.add(operation.template() + " " + operation.method() + " ." + property.getKey());
            }
            expectProblem(report, http, base, operation.method(), plain, TestApiKeys.ADMIN, duplicateFirstMember(body));
            sent++;
        }
        return sent;
    }

    private static String url(String template, Map<String, String> values) {
        String url = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            url = url.replace("{" + value.getKey() + "}", value.getValue());
        }
        return url;
    }

    private String plausiblePathValue(JsonNode schema) {
        return schema.path("format").asString("").equals("uuid")
                ? UUID.randomUUID().toString()
                : schema.path("type").asString("").equals("integer") ? "1" : "bad-input-" + run;
    }

    /** A body every field of which looks valid, its text fields ready to take a hostile value. */
    private byte[] plausibleBody(Operation operation) {
        JsonNode schema = operation.bodySchema();
        return schema == null
                ? "{}".getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(plausible(operation, schema, 0));
    }

    private JsonNode plausible(Operation operation, JsonNode schema, int depth) {
        JsonNode resolved = operation.resolve(schema);
        if (!resolved.path("enum").isMissingNode()) {
            return resolved.path("enum").get(0);
        }
        switch (resolved.path("type").asString("")) {
            case "string":
                return JSON.getNodeFactory().stringNode("bad-input-" + run);
            case "integer":
                return JSON.getNodeFactory().numberNode(1000);
            case "number":
                return JSON.getNodeFactory().numberNode(1.5);
            case "boolean":
                return JSON.getNodeFactory().booleanNode(true);
            case "array":
                return JSON.getNodeFactory().arrayNode();
            default: {
                ObjectNode object = JSON.createObjectNode();
                if (depth < 3 && resolved.path("properties").isObject()) {
                    for (var property : resolved.path("properties").properties()) {
                        object.set(property.getKey(), plausible(operation, property.getValue(), depth + 1));
                    }
                }
                return object;
            }
        }
    }

    /** The plausible body with {@code field} holding {@code hostile}, byte for byte. */
    private byte[] withField(Operation operation, String field, byte[] hostile) {
        ObjectNode body = (ObjectNode) JSON.readTree(plausibleBody(operation));
        body.put(field, MARK);
        byte[] text = JSON.writeValueAsBytes(body);
        byte[] mark = ("\"" + MARK + "\"").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(text, mark);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text, 0, at);
        out.writeBytes(hostile);
        out.write(text, at + mark.length, text.length - at - mark.length);
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            int j = 0;
            while (j < needle.length && haystack[i + j] == needle[j]) {
                j++;
            }
            if (j == needle.length) {
                return i;
            }
        }
        throw new IllegalStateException("no mark in the body");
    }

    /** {@code body} with its first member given twice. */
    private static byte[] duplicateFirstMember(byte[] body) {
        JsonNode object = JSON.readTree(body);
        if (object.isEmpty()) {
            return "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
        }
        var first = object.properties().iterator().next();
        String member = JSON.writeValueAsString(first.getKey()) + ":" + JSON.writeValueAsString(first.getValue());
        String text = new String(body, StandardCharsets.UTF_8);
        return ("{" + member + "," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    /** Sends an operation the schema-blind hostile requests: keys, bad names, random bodies; returns how many. */
    private int hostile(Report report, TestHttp http, String base, Operation operation) {
        int sent = 0;
        String method = operation.method();
        String template = operation.template();
        byte[] emptyBody = operation.hasBody() ? "{}".getBytes(StandardCharsets.UTF_8) : null;
        String named = template.replaceAll("\\{[^}]+}", "name");
        for (String key : new String[] {null, "not-a-key"}) {
            expectProblem(report, http, base, method, named, key, emptyBody);
            sent++;
        }
        if (!method.equals("get")) {
            expectProblem(report, http, base, method, named, TestApiKeys.READ, emptyBody);
            sent++;
        }
        if (operation.hasBody()) {
            for (String body : bodies()) {
                expectProblem(
                        report, http, base, method, named, TestApiKeys.ADMIN, body.getBytes(StandardCharsets.UTF_8));
                sent++;
            }
        }
        return sent;
    }

    /** A value of the wrong type or out of range for a query parameter, or null when any text is valid. */
    private static String badQueryValue(JsonNode schema, String name) {
        String type = schema.path("type").asString("");
        if (type.equals("integer") || type.equals("number")) {
            return "1" + "0".repeat(40);
        }
        if (!schema.path("enum").isMissingNode()) {
            return "NOT_A_VALUE";
        }
        if (name.equals("wait")) {
            return "forever";
        }
        return null;
    }

    private void expectProblem(
            Report report, TestHttp http, String base, String method, String url, String key, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + url));
        request.method(
                method.toUpperCase(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        request.header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        TestHttp.Response response;
        try {
            response = http.send(request.build());
        } catch (RuntimeException e) {
            report.violation("%s %s%s failed to answer: %s", method, base, url, e.getMessage());
            return;
        }
        if (response.status() >= 500 || response.status() < 400 || !response.isProblem()) {
            String shown = body == null ? "none" : new String(body, StandardCharsets.UTF_8);
            report.violation(
                    "%s %s%s (key %s, body %s) answered %d %s %s",
                    method.toUpperCase(),
                    base,
                    url,
                    key,
                    shown.length() > 80 ? shown.substring(0, 80) + "..." : shown,
                    response.status(),
                    response.contentType(),
                    response.body().length() > 200 ? response.body().substring(0, 200) : response.body());
        }
    }
}
