package dev.baton.scheduler.job;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import tools.jackson.databind.json.JsonMapper;

/** A job's definition as the JSON of its {@code definition} column, written by the API's own mapper. */
@Converter
class DefinitionJson implements AttributeConverter<JobDefinition, String> {

    private final JsonMapper json;

    DefinitionJson(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String convertToDatabaseColumn(JobDefinition definition) {
        return json.writeValueAsString(definition);
    }

    @Override
    public JobDefinition convertToEntityAttribute(String column) {
        return json.readValue(column, JobDefinition.class);
    }
}
