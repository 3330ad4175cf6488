package dev.baton.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * A trace collector for tests of processes: a real HTTP server on loopback that takes what
 * OpenTelemetry's OTLP/HTTP exporter sends ({@code POST /v1/traces}, an
 * {@code ExportTraceServiceRequest} in protobuf) and keeps each span's ids, name and service.
 * Point a service at it with {@link #exportTo()}. It reads only the fields it keeps and skips the
 * rest, as protobuf allows. Thread-safe.
 */
public final class OtlpReceiver implements AutoCloseable {

    /**
     * A span as exported.
     *
     * @param service the {@code service.name} of the process that ended it
     * @param parentSpanId its parent's id, empty for a root
     */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name) {}

    /** Whether a span of {@code worker} among {@code spans} is the child of a scheduler's {@code worker call}. */
    public static boolean servedUnderWorkerCall(List<ReceivedSpan> spans, String worker) {
        Set<String> calls = spans.stream()
                .filter(span -> span.service().equals("scheduler-service")
                        && span.name().equals("worker call"))
                .map(ReceivedSpan::spanId)
                .collect(Collectors.toSet());
        return spans.stream().anyMatch(span -> span.service().equals(worker) && calls.contains(span.parentSpanId()));
    }

    private final HttpServer server;
    private final Queue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", receiver::receive);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL to export to: {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** The properties that have a Spring Boot service export every recorded span here within a fifth of a second. */
    public List<String> exportTo() {
        return List.of(
                "management.opentelemetry.tracing.export.otlp.endpoint=" + url(),
                "management.opentelemetry.tracing.export.schedule-delay=200ms");
    }

    /** The spans of a trace received so far. */
    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            for (Field resourceSpans : fields(body)) {
                if (resourceSpans.number() == 1) {
                    resourceSpans(resourceSpans.bytes());
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** ResourceSpans: 1 resource, 2 scope spans. */
    private void resourceSpans(byte[] message) {
        String service = "";
        List<byte[]> scopes = new ArrayList<>();
        for (Field field : fields(message)) {
            if (field.number() == 1) {
                service = serviceName(field.bytes());
            } else if (field.number() == 2) {
                scopes.add(field.bytes());
            }
        }
        for (byte[] scope : scopes) {
            for (Field span : fields(scope)) {
                if (span.number() == 2) {
                    spans.add(span(service, span.bytes()));
                }
            }
        }
    }

    /** Resource: 1 attributes, each a KeyValue (1 key, 2 AnyValue whose 1 is a string). */
    private static String serviceName(byte[] resource) {
        for (Field attribute : fields(resource)) {
            if (attribute.number() != 1) {
                continue;
            }
            String key = null;
            String value = null;
            for (Field part : fields(attribute.bytes())) {
                if (part.number() == 1) {
                    key = part.text();
                } else if (part.number() == 2) {
                    for (Field any : fields(part.bytes())) {
                        if (any.number() == 1) {
                            value = any.text();
                        }
                    }
                }
            }
            if ("service.name".equals(key)) {
                return value;
            }
        }
        return "";
    }

    /** Span: 1 trace id, 2 span id, 4 parent span id, 5 name. */
    private static ReceivedSpan span(String service, byte[] message) {
        HexFormat hex = HexFormat.of();
        String traceId = "";
        String spanId = "";
        String parentSpanId = "";
        String name = "";
        for (Field field : fields(message)) {
            switch (field.number()) {
                case 1 -> traceId = hex.formatHex(field.bytes());
                case 2 -> spanId = hex.formatHex(field.bytes());
                case 4 -> parentSpanId = hex.formatHex(field.bytes());
                case 5 -> name = field.text();
                default -> {}
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parentSpanId, name);
    }

    /** A length-delimited field of a message; fields of the other wire types are skipped. */
    private record Field(int number, byte[] bytes) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The length-delimited fields of a protobuf message, in order. */
    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            long tag = varint(message, at);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> varint(message, at);
                case 1 -> at[0] += 8;
                case 2 -> {
                    int length = (int) varint(message, at);
                    byte[] bytes = new byte[length];
                    System.arraycopy(message, at[0], bytes, 0, length);
                    at[0] += length;
                    fields.add(new Field(number, bytes));
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("Not a protobuf message: wire type " + (tag & 7));
            }
        }
        return fields;
    }

    private static long varint(byte[] message, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = message[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
