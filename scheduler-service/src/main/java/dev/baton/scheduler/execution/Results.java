package dev.baton.scheduler.execution;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Results and errors as stored: text cut to a size, and read back as JSON when they are JSON. */
final class Results {

    private Results() {}

    /** The text, cut to at most {@code maxBytes} of UTF-8 (a cut result is no longer JSON, and is read as a string). */
    static String capped(String text, int maxBytes) {
        if (text == null || text.length() * 3 <= maxBytes) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        String cut = new String(bytes, 0, maxBytes, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }

    static JsonNode parse(String text, JsonMapper json) {
        if (text == null || text.isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            return JsonNodeFactory.instance.stringNode(text);
        }
    }
}
