package dev.baton.scheduler.workflow;

import dev.baton.scheduler.sql.JsonColumn;
import jakarta.persistence.Converter;
import tools.jackson.databind.json.JsonMapper;

/** A workflow's definition as the JSON of its {@code definition} column, written by the API's own mapper. */
@Converter
class WorkflowJson extends JsonColumn<WorkflowDefinition> {

    WorkflowJson(JsonMapper json) {
        super(json, WorkflowDefinition.class);
    }
}
