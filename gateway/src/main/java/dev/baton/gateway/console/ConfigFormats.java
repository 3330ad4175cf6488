package dev.baton.gateway.console;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ByteArrayResource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A namespace's keys as a {@code .properties} or {@code .yaml} file, and back, read as Spring Boot
 * reads such files: YAML's nesting and lists become dotted and indexed keys.
 */
enum ConfigFormats {
    PROPERTIES("properties", "text/plain") {
        @Override
        String write(Map<String, String> entries) {
            StringBuilder out = new StringBuilder();
            new TreeMap<>(entries)
                    .forEach((key, value) -> out.append(escape(key, true))
                            .append('=')
                            .append(escape(value, false))
                            .append('\n'));
            return out.toString();
        }

        @Override
        Map<String, String> read(String text) {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(text));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("not a .properties file: " + e.getMessage(), e);
            }
            Map<String, String> entries = new TreeMap<>();
            properties.stringPropertyNames().forEach(name -> entries.put(name, properties.getProperty(name)));
            return entries;
        }
    },
    YAML("yaml", "application/yaml") {
        @Override
        String write(Map<String, String> entries) {
            Map<String, Object> root = new LinkedHashMap<>();
            new TreeMap<>(entries).forEach((key, value) -> nest(root, key, value));
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            options.setDefaultScalarStyle(DumperOptions.ScalarStyle.DOUBLE_QUOTED);
            return new Yaml(options).dump(root);
        }

        @Override
        Map<String, String> read(String text) {
            YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
            yaml.setResources(new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)));
            Properties properties;
            try {
                properties = yaml.getObject();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a YAML file: " + e.getMessage(), e);
            }
            Map<String, String> entries = new TreeMap<>();
            if (properties != null) {
                properties.stringPropertyNames().forEach(name -> entries.put(name, properties.getProperty(name)));
            }
            return entries;
        }
    };

    private final String extension;
    private final String mediaType;

    ConfigFormats(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    String extension() {
        return extension;
    }

    String mediaType() {
        return mediaType;
    }

    abstract String write(Map<String, String> entries);

    /** The keys and values of a file; throws IllegalArgumentException when it is not of this format. */
    abstract Map<String, String> read(String text);

    /** The format of a file name ({@code .properties}, {@code .yaml} or {@code .yml}), or of a query's {@code format}. */
    static ConfigFormats of(String nameOrFormat) {
        String name = nameOrFormat.toLowerCase(Locale.ROOT);
        if (name.endsWith("yaml") || name.endsWith("yml")) {
            return YAML;
        }
        if (name.endsWith("properties")) {
            return PROPERTIES;
        }
        throw new IllegalArgumentException("a namespace is exported and imported as .properties, .yaml or .yml");
    }

    /**
     * Puts a dotted key into nested maps; where a segment is already a value (or a value would
     * replace a map), the rest of the key stays dotted at that level, which Spring Boot reads as
     * the same key.
     */
    @SuppressWarnings("unchecked")
    private static void nest(Map<String, Object> root, String key, String value) {
        Map<String, Object> level = root;
        String[] segments = key.split("\\.");
        for (int i = 0; i < segments.length - 1; i++) {
            Object next = level.get(segments[i]);
            if (next == null) {
                Map<String, Object> created = new LinkedHashMap<>();
                level.put(segments[i], created);
                level = created;
            } else if (next instanceof Map<?, ?> map) {
                level = (Map<String, Object>) map;
            } else {
                level.put(String.join(".", Arrays.copyOfRange(segments, i, segments.length)), value);
                return;
            }
        }
        String last = segments[segments.length - 1];
        if (level.containsKey(last)) {
            root.put(key, value);
        } else {
            level.put(last, value);
        }
    }

    /** java.util.Properties escaping: backslashes, line breaks, and in keys the separators and spaces. */
    private static String escape(String text, boolean key) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '=', ':', '#', '!' -> out.append(key ? "\\" + c : String.valueOf(c));
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
