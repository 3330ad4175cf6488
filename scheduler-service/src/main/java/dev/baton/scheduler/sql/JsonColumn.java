package dev.baton.scheduler.sql;

import jakarta.persistence.AttributeConverter;
import tools.jackson.databind.json.JsonMapper;

/** A JSON column of an entity, written and read by the API's own mapper: a definition kept whole. */
public abstract class JsonColumn<T> implements AttributeConverter<T, String> {

    private final JsonMapper json;
    private final Class<T> type;

    protected JsonColumn(JsonMapper json, Class<T> type) {
        this.json = json;
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(T value) {
        return json.writeValueAsString(value);
    }

    @Override
    public T convertToEntityAttribute(String column) {
        return json.readValue(column, type);
    }
}
