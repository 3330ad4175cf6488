package dev.baton.scheduler.job;

import dev.baton.scheduler.sql.JsonColumn;
import jakarta.persistence.Converter;
import tools.jackson.databind.json.JsonMapper;

/** A job's definition as the JSON of its {@code definition} column, written by the API's own mapper. */
@Converter
class DefinitionJson extends JsonColumn<JobDefinition> {

    DefinitionJson(JsonMapper json) {
        super(json, JobDefinition.class);
    }
}
