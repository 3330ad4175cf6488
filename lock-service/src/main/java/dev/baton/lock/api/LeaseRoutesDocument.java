package dev.baton.lock.api;

import dev.baton.common.web.ResourceName;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/** {@link LeaseRoutes} in the API document, as springdoc shows the controllers' operations. */
@Component
class LeaseRoutesDocument implements OpenApiCustomizer {

    private final LeaseRoutes routes;

    LeaseRoutesDocument(LeaseRoutes routes) {
        this.routes = routes;
    }

    @Override
    public void customise(OpenAPI document) {
        if (document.getPaths() == null) {
            document.setPaths(new Paths());
        }
        if (document.getComponents() == null) {
            document.setComponents(new Components());
        }
        for (LeaseRoutes.Acquisition<?> acquisition : routes.acquisitions()) {
            Operation acquire = operation(acquisition.tag(), acquisition.summary(), acquisition.description())
                    .addParametersItem(nameParameter())
                    .requestBody(body(document, acquisition.body(), true))
                    .responses(responses(
                            document,
                            "201",
                            "The lease",
                            LeaseResponse.class,
                            "400",
                            "401",
                            "403",
                            "409",
                            "413",
                            "415",
                            "503"));
            document.getPaths()
                    .addPathItem(acquisition.basePath() + acquisition.acquirePath(), new PathItem().post(acquire));
            Operation renew = operation(
                            acquisition.tag(),
                            "Renew a lease",
                            "Extends a valid lease by ttlMs from "
                                    + "now (its own TTL when absent). 410 when the lease has expired, was released or was revoked.")
                    .addParametersItem(nameParameter())
                    .addParametersItem(leaseIdParameter())
                    .requestBody(body(document, Renewal.class, false))
                    .responses(responses(
                            document,
                            "200",
                            "The renewed lease",
                            LeaseResponse.class,
                            "400",
                            "401",
                            "403",
                            "410",
                            "413",
                            "415",
                            "503"));
            Operation release = operation(acquisition.tag(), "Release a lease", "410 when it was already lost.")
                    .addParametersItem(nameParameter())
                    .addParametersItem(leaseIdParameter())
                    .responses(responses(document, "204", "Released", null, "400", "401", "403", "410", "503"));
            document.getPaths()
                    .addPathItem(
                            acquisition.basePath() + "/{name}/leases/{leaseId}",
                            new PathItem().put(renew).delete(release));
        }
    }

    private static Operation operation(String tag, String summary, String description) {
        return new Operation().addTagsItem(tag).summary(summary).description(description);
    }

    private static Parameter nameParameter() {
        return new Parameter()
                .in("path")
                .name("name")
                .required(true)
                .schema(new StringSchema().pattern(ResourceName.PATTERN));
    }

    private static Parameter leaseIdParameter() {
        return new Parameter().in("path").name("leaseId").required(true).schema(new UUIDSchema());
    }

    private static RequestBody body(OpenAPI document, Class<?> type, boolean required) {
        return new RequestBody()
                .required(required)
                .content(new Content()
                        .addMediaType(
                                org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                                new MediaType().schema(schema(document, type))));
    }

    private static ApiResponses responses(
            OpenAPI document, String success, String description, Class<?> body, String... problems) {
        ApiResponse ok = new ApiResponse().description(description);
        if (body != null) {
            ok.content(new Content()
                    .addMediaType(
                            org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                            new MediaType().schema(schema(document, body))));
        }
        ApiResponses responses = new ApiResponses().addApiResponse(success, ok);
        Schema<?> problem = schema(document, ProblemDetail.class);
        for (String status : problems) {
            responses.addApiResponse(
                    status,
                    new ApiResponse()
                            .description("A problem")
                            .content(new Content()
                                    .addMediaType(
                                            org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                                            new MediaType().schema(problem))));
        }
        return responses;
    }

    /** A reference to the type's schema, added with the schemas it refers to. */
    private static Schema<?> schema(OpenAPI document, Class<?> type) {
        ResolvedSchema resolved = ModelConverters.getInstance().readAllAsResolvedSchema(new AnnotatedType(type));
        Map<String, Schema> schemas = new LinkedHashMap<>(resolved.referencedSchemas);
        if (document.getComponents().getSchemas() != null) {
            schemas.putAll(document.getComponents().getSchemas());
        }
        document.getComponents().setSchemas(schemas);
        return new Schema<>().$ref("#/components/schemas/" + resolved.schema.getName());
    }
}
