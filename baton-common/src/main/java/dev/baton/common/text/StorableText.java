package dev.baton.common.text;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What PostgreSQL can store as text: any Unicode text but U+0000. A Java string can also hold a
 * surrogate without its pair, which is no character at all and which the JDBC driver would
 * write as {@code ?}. Text with either is refused where it enters Baton, so what is read back
 * is always what was sent. Pure functions, thread-safe.
 */
public final class StorableText {

    /**
     * Where in a value, and why, its text cannot be stored.
     *
     * @param at where: a JSON pointer within a JSON value ({@code ""} for the whole value)
     * @param reason what is wrong, as a phrase that follows the field's name
     */
    public record Flaw(String at, String reason) {}

    private StorableText() {}

    /** Why {@code text} cannot be stored, or null when it can. */
    public static String flaw(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains U+0000 (NUL), which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("contains an unpaired surrogate (U+%04X), which is not a character", (int) c);
            }
        }
        return null;
    }

    /** The first string or member name of a JSON value that cannot be stored, or null. */
    public static Flaw flaw(JsonNode value) {
        return flaw(value, "");
    }

    private static Flaw flaw(JsonNode value, String at) {
        if (value.isString()) {
            String reason = flaw(value.stringValue());
            return reason == null ? null : new Flaw(at, reason);
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                Flaw flaw = flaw(value.get(i), at + "/" + i);
                if (flaw != null) {
                    return flaw;
                }
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> members =
                            value.properties().iterator();
                    members.hasNext(); ) {
                Map.Entry<String, JsonNode> member = members.next();
                String reason = flaw(member.getKey());
                if (reason != null) {
                    return new Flaw(at, "has a member name that " + reason);
                }
                Flaw flaw = flaw(
                        member.getValue(),
                        at + "/" + member.getKey().replace("~", "~0").replace("/", "~1"));
                if (flaw != null) {
                    return flaw;
                }
            }
        }
        return null;
    }

    /**
     * {@code bytes} as UTF-8, decoded strictly.
     *
     * @throws CharacterCodingException when they are not well-formed UTF-8
     */
    public static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /**
     * The first parameter of a raw (still percent-encoded) query string whose name or value is
     * not percent-encoded UTF-8 text that can be stored, or null when all are; {@link Flaw#at()}
     * names the parameter.
     */
    public static Flaw queryFlaw(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name;
            try {
                name = decode(rawName);
            } catch (CharacterCodingException | IllegalArgumentException e) {
                return new Flaw(rawName, "is not percent-encoded UTF-8");
            }
            String reason = flaw(name);
            if (reason != null) {
                return new Flaw(name.replace('\0', ' '), "has a name that " + reason);
            }
            if (equals >= 0) {
                String value;
                try {
                    value = decode(pair.substring(equals + 1));
                } catch (CharacterCodingException | IllegalArgumentException e) {
                    return new Flaw(name, "is not percent-encoded UTF-8");
                }
                reason = flaw(value);
                if (reason != null) {
                    return new Flaw(name, reason);
                }
            }
        }
        return null;
    }

    /** Percent-decodes one query component as UTF-8, {@code +} being a space. */
    private static String decode(String component) throws CharacterCodingException {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return component;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '%') {
                int high = i + 2 < component.length() ? Character.digit(component.charAt(i + 1), 16) : -1;
                int low = i + 2 < component.length() ? Character.digit(component.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("a '%' without two hex digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // A raw non-ASCII character, as some clients send: it stands for itself.
                int end = Character.isHighSurrogate(c) && i + 1 < component.length() ? i + 2 : i + 1;
                bytes.writeBytes(component.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return utf8(bytes.toByteArray());
    }
}
