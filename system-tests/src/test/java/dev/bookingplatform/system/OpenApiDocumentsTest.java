package dev.bookingplatform.system;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.bookingplatform.web.openapi.ApiDocumentation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checked-in contracts are complete: every operation has an id, a summary and its security; every answer a
 * description; every error the problem-details body; every parameter a description. {@link OpenApiDocumentsIT}
 * proves the services serve these documents, and {@link OpenApiContract} that every exchange of the scenarios fits
 * them; this test needs neither, only the files.
 */
class OpenApiDocumentsTest {

    @ParameterizedTest
    @ValueSource(strings = { "booking-service", "inventory-service", "payment-service", "notification-service" })
    void everyOperationIsDescribedCompletely(String service) throws IOException {
        JsonNode document = OpenApiDocumentsIT.YAML.readTree(Files.readString(OpenApiContract.document(service)));
        assertThat(document.path("openapi").asText()).startsWith("3.0");
        assertThat(document.path("info").path("title").asText()).isNotBlank().isNotEqualTo("OpenAPI definition");
        assertThat(document.path("info").path("version").asText()).isEqualTo(ApiDocumentation.CONTRACT_VERSION);
        assertThat(document.path("info").path("description").asText()).isNotBlank();
        assertThat(document.path("components").path("securitySchemes").has(ApiDocumentation.BEARER)).isTrue();

        List<String> problems = new ArrayList<>();
        List<String> operationIds = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : fields(document.path("paths"))) {
            for (Map.Entry<String, JsonNode> verb : fields(path.getValue())) {
                String name = verb.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = verb.getValue();
                operationIds.add(operation.path("operationId").asText());
                check(problems, name, operation, document);
            }
        }
        assertThat(operationIds).as("operations of %s", service).isNotEmpty().doesNotHaveDuplicates();
        assertThat(problems).as("%s: operations described incompletely", service).isEmpty();
    }

    private static void check(List<String> problems, String name, JsonNode operation, JsonNode document) {
        if (operation.path("operationId").asText().isBlank() || operation.path("operationId").asText().matches(".*_\\d+")) {
            problems.add(name + ": no operationId of its own (" + operation.path("operationId").asText() + ")");
        }
        if (operation.path("summary").asText().isBlank()) {
            problems.add(name + ": no summary");
        }
        JsonNode security = operation.path("security");
        if (!security.isArray() || security.isEmpty()) {
            problems.add(name + ": no security requirement");
        }
        boolean bearer = security.findValue(ApiDocumentation.BEARER) != null;
        boolean scoped = bearer && security.findValues(ApiDocumentation.BEARER).stream().anyMatch(scopes -> !scopes.isEmpty());
        JsonNode responses = operation.path("responses");
        if (fields(responses).stream().noneMatch(response -> response.getKey().startsWith("2"))) {
            problems.add(name + ": no success answer");
        }
        for (String required : bearer ? (scoped ? List.of("401", "403", "429", "500") : List.of("401", "429", "500")) : List.of("429", "500")) {
            if (!responses.has(required)) {
                problems.add(name + ": no " + required);
            }
        }
        for (Map.Entry<String, JsonNode> response : fields(responses)) {
            JsonNode answer = resolve(document, response.getValue());
            String code = response.getKey();
            if (answer.path("description").asText().isBlank()) {
                problems.add(name + " " + code + ": no description");
            }
            if (code.startsWith("2") && !code.equals("204") && answer.path("content").isEmpty()) {
                problems.add(name + " " + code + ": no body schema");
            }
            boolean problemDetail = answer.path("content").path("application/problem+json").path("schema").path("$ref").asText()
                    .equals("#/components/schemas/Problem");
            // The one kind of exception: an answer that documents its own body and says why it is not a problem detail.
            boolean explained = answer.path("description").asText().contains("not a problem detail")
                    && !answer.path("content").isEmpty();
            if ((code.startsWith("4") || code.startsWith("5")) && !problemDetail && !explained) {
                problems.add(name + " " + code + ": not a problem detail");
            }
        }
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = resolve(document, parameter);
            if (resolved.path("description").asText().isBlank()) {
                problems.add(name + ": parameter " + resolved.path("name").asText() + " has no description");
            }
        }
    }

    /** A {@code $ref} to the document's own components, followed. */
    private static JsonNode resolve(JsonNode document, JsonNode node) {
        String ref = node.path("$ref").asText();
        if (ref.isEmpty()) {
            return node;
        }
        return document.at(ref.substring(1));
    }

    private static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            entries.add(it.next());
        }
        return entries;
    }
}
