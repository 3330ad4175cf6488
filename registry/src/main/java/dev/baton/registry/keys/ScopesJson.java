package dev.baton.registry.keys;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A key's scopes as the JSON of its {@code scopes} column: per resource kind, its name prefixes;
 * null for every name of every kind.
 */
@Converter
class ScopesJson implements AttributeConverter<Map<String, List<String>>, String> {

    private static final TypeReference<LinkedHashMap<String, List<String>>> SCOPES = new TypeReference<>() {};

    private final JsonMapper json;

    ScopesJson(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String convertToDatabaseColumn(Map<String, List<String>> scopes) {
        return scopes == null ? null : json.writeValueAsString(scopes);
    }

    @Override
    public Map<String, List<String>> convertToEntityAttribute(String column) {
        return column == null ? null : json.readValue(column, SCOPES);
    }
}
