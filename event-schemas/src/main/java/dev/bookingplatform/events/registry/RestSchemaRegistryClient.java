package dev.bookingplatform.events.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, which both Confluent Schema
 * Registry and Apicurio Registry ({@code /apis/ccompat/v7}) serve. Ids and schemas are cached for the
 * client's lifetime: a registered schema never changes its id.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaRegistrySettings settings;

    private final HttpClient http;

    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(SchemaRegistrySettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String what = "register schema under subject '" + subject + "'";
        JsonNode answer = send(what, post("/subjects/" + encode(subject) + "/versions",
                JSON.createObjectNode().put("schema", schema.toString())));
        int id = requiredInt(answer, "id", what);
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String what = "fetch schema id " + id;
        JsonNode answer = send(what, request("/schemas/ids/" + id).GET().build());
        JsonNode schemaText = answer.get("schema");
        if (schemaText == null || !schemaText.isTextual()) {
            throw new SchemaRegistryException(failure(what) + ": the answer has no schema: " + answer, false);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(schemaText.asText());
        }
        catch (SchemaParseException ex) {
            throw new SchemaRegistryException(failure(what) + ": the registry returned an unparseable schema", false, ex);
        }
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        String what = "set compatibility " + level + " on subject '" + subject + "'";
        send(what, request("/config/" + encode(subject))
                .PUT(body(JSON.createObjectNode().put("compatibility", level.name()))).build());
    }

    private HttpRequest post(String path, JsonNode body) {
        return request(path).POST(body(body)).build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.requestTimeout())
                .header("Accept", CONTENT_TYPE + ", application/json")
                .header("Content-Type", CONTENT_TYPE);
    }

    private static HttpRequest.BodyPublisher body(JsonNode json) {
        return HttpRequest.BodyPublishers.ofString(json.toString(), StandardCharsets.UTF_8);
    }

    private JsonNode send(String what, HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (HttpTimeoutException ex) {
            throw new SchemaRegistryException(failure(what) + ": no answer within "
                    + settings.requestTimeout().toMillis() + " ms", true, ex);
        }
        catch (IOException ex) {
            throw new SchemaRegistryException(failure(what) + ": " + ex, true, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(failure(what) + ": interrupted", true, ex);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new SchemaRegistryException(failure(what) + ": HTTP " + status + " " + errorMessage(response.body()),
                    status >= 500 || status == 408 || status == 429);
        }
        try {
            return JSON.readTree(response.body());
        }
        catch (JsonProcessingException ex) {
            throw new SchemaRegistryException(failure(what) + ": the answer is not JSON", false, ex);
        }
    }

    private String failure(String what) {
        return "Schema registry " + settings.url() + " could not " + what;
    }

    private static int requiredInt(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException("Schema registry answered '" + what + "' without an integer '" + field
                    + "': " + answer, false);
        }
        return value.intValue();
    }

    private static String errorMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).get("message");
            return message != null ? message.asText() : body;
        }
        catch (JsonProcessingException ex) {
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
