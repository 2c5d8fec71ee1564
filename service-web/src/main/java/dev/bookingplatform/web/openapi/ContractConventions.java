package dev.bookingplatform.web.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * What every operation of every service shares, written into the documents once instead of on each controller:
 * the RFC 9457 problem body of every error; the answers the edge gives before a controller runs (401 and 429 from
 * the security filters, 403 where a scope is required, 400, 413 and 415 for a body, 400 for a malformed parameter,
 * 406 for an {@code Accept} header no answer meets, 500); the {@code X-Correlation-Id} header both ways; and status
 * enums documented as open, so a client generated from the document survives a state added later.
 */
final class ContractConventions implements OpenApiCustomizer {

    static final String PROBLEM = "Problem";

    static final String FIELD_ERROR = "FieldError";

    static final String CORRELATION_ID = "X-Correlation-Id";

    static final String RETRY_AFTER = "Retry-After";

    private static final String CORRELATION_PARAMETER = "#/components/parameters/" + CORRELATION_ID;

    static final String PROBLEM_JSON = "application/problem+json";

    /** Where a generated client learns that an enum's list is not closed (Zalando's convention, read by several generators). */
    static final String OPEN_ENUM = "x-extensible-enum";

    @Override
    public void customise(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        components.addSchemas(FIELD_ERROR, fieldErrorSchema());
        components.addSchemas(PROBLEM, problemSchema());
        components.addHeaders(CORRELATION_ID, new Header().description("The request's correlation id: the caller's own, or"
                + " one made for it. Quote it to support; every log line and event the request causes carries it.")
                .schema(new StringSchema()));
        components.addParameters(CORRELATION_ID, new HeaderParameter().name(CORRELATION_ID).required(false)
                .description("Ties this request to the caller's own logs: up to 128 letters, digits and -_.:"
                        + " characters. One is made when it is absent or not of that form (never refused); the"
                        + " response's X-Correlation-Id says which was used")
                .schema(new StringSchema()));
        components.addHeaders(RETRY_AFTER, new Header().description("Seconds to wait before trying again")
                .schema(new IntegerSchema().minimum(java.math.BigDecimal.ZERO)));
        sharedResponses().forEach((name, response) -> {
            withProblemBody(name.code(), response);
            response.addHeaderObject(CORRELATION_ID, ref(CORRELATION_ID));
            components.addResponses(name.name(), response);
        });
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(this::conventions));
        java.util.Set<String> sent = requestSchemas(openApi);
        components.getSchemas().forEach((name, schema) -> {
            if (!sent.contains(name)) {
                openEnums(schema);
            }
        });
    }

    private void conventions(Operation operation) {
        addCorrelationParameter(operation);
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        boolean secured = operation.getSecurity() != null && operation.getSecurity().stream()
                .anyMatch(requirement -> requirement.containsKey(ApiDocumentation.BEARER));
        boolean scoped = secured && operation.getSecurity().stream()
                .anyMatch(requirement -> !requirement.getOrDefault(ApiDocumentation.BEARER, List.of()).isEmpty());
        boolean hasBody = operation.getRequestBody() != null;
        boolean hasParameters = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(parameter -> parameter.get$ref() == null && !CORRELATION_ID.equals(parameter.getName()));
        if (hasBody || hasParameters) {
            responses.putIfAbsent("400", shared(BAD_REQUEST));
        }
        if (secured) {
            responses.putIfAbsent("401", shared(UNAUTHORIZED));
        }
        if (scoped) {
            responses.putIfAbsent("403", shared(FORBIDDEN));
        }
        // The one operation without a bearer token, Stripe's webhook, sets its answer's type itself and never refuses.
        if (secured && answersWithBody(responses)) {
            responses.putIfAbsent("406", shared(NOT_ACCEPTABLE));
        }
        if (hasBody) {
            responses.putIfAbsent("413", shared(TOO_LARGE));
            responses.putIfAbsent("415", shared(UNSUPPORTED_MEDIA_TYPE));
        }
        responses.putIfAbsent("429", shared(TOO_MANY_REQUESTS));
        responses.putIfAbsent("500", shared(FAILED));
        List<String> codes = new ArrayList<>(responses.keySet());
        codes.sort(String::compareTo);
        Map<String, ApiResponse> sorted = new LinkedHashMap<>();
        codes.forEach(code -> sorted.put(code, responses.get(code)));
        responses.clear();
        sorted.forEach((code, response) -> {
            if (response.get$ref() != null) {
                responses.addApiResponse(code, response);
                return;
            }
            if (isError(code)) {
                withProblemBody(code, response);
            }
            if (response.getHeaders() == null || !response.getHeaders().containsKey(CORRELATION_ID)) {
                response.addHeaderObject(CORRELATION_ID, ref(CORRELATION_ID));
            }
            responses.addApiResponse(code, response);
        });
    }

    /** Whether a success answer has a body: only then does the {@code Accept} header matter, and can be refused. */
    private static boolean answersWithBody(ApiResponses responses) {
        return responses.entrySet().stream().anyMatch(entry -> entry.getKey().startsWith("2")
                && entry.getValue().getContent() != null && !entry.getValue().getContent().isEmpty());
    }

    /** The schemas a request body refers to: their enums are what a client may send, and stay closed. */
    private static java.util.Set<String> requestSchemas(OpenAPI openApi) {
        java.util.Set<String> names = new java.util.HashSet<>();
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                operation.getRequestBody().getContent().values().forEach(media -> {
                    if (media.getSchema() != null && media.getSchema().get$ref() != null) {
                        String ref = media.getSchema().get$ref();
                        names.add(ref.substring(ref.lastIndexOf('/') + 1));
                    }
                });
            }
        }));
        return names;
    }

    /** A response every operation may give, written once under components and referred to. */
    private record Shared(String name, String code) {
    }

    private static final Shared BAD_REQUEST = new Shared("BadRequest", "400");

    private static final Shared UNAUTHORIZED = new Shared("Unauthorized", "401");

    private static final Shared FORBIDDEN = new Shared("Forbidden", "403");

    private static final Shared NOT_ACCEPTABLE = new Shared("NotAcceptable", "406");

    private static final Shared TOO_LARGE = new Shared("ContentTooLarge", "413");

    private static final Shared UNSUPPORTED_MEDIA_TYPE = new Shared("UnsupportedMediaType", "415");

    private static final Shared TOO_MANY_REQUESTS = new Shared("TooManyRequests", "429");

    private static final Shared FAILED = new Shared("InternalError", "500");

    private static Map<Shared, ApiResponse> sharedResponses() {
        Map<Shared, ApiResponse> shared = new LinkedHashMap<>();
        shared.put(BAD_REQUEST, new ApiResponse().description("The body, a parameter or a header is malformed or invalid;"
                + " when fields or parameters fail validation, `errors` names each one"));
        shared.put(UNAUTHORIZED, new ApiResponse().description("No bearer token, or one that does not verify (signature,"
                + " issuer, audience, expiry)"));
        shared.put(FORBIDDEN, new ApiResponse().description("The token lacks every scope this operation accepts"));
        shared.put(NOT_ACCEPTABLE, new ApiResponse().description("The `Accept` header names none of the types this"
                + " operation answers with (see its success answer); the problem detail comes as `application/problem+json`"));
        shared.put(TOO_LARGE, new ApiResponse().description("The body is larger than the service accepts"));
        shared.put(UNSUPPORTED_MEDIA_TYPE, new ApiResponse().description("The body is not `application/json`"));
        shared.put(TOO_MANY_REQUESTS, new ApiResponse().description("Too many requests from this token subject or address;"
                + " `Retry-After` says when to try again").addHeaderObject(RETRY_AFTER, ref(RETRY_AFTER)));
        shared.put(FAILED, new ApiResponse().description("The request failed on our side; the detail carries the"
                + " correlation id to quote to support"));
        return shared;
    }

    private static ApiResponse shared(Shared response) {
        return new ApiResponse().$ref("#/components/responses/" + response.name());
    }

    private static void addCorrelationParameter(Operation operation) {
        boolean present = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(parameter -> CORRELATION_ID.equalsIgnoreCase(parameter.getName())
                        || CORRELATION_PARAMETER.equals(parameter.get$ref()));
        if (!present) {
            operation.addParametersItem(new Parameter().$ref(CORRELATION_PARAMETER));
        }
    }

    private static boolean isError(String code) {
        return code.startsWith("4") || code.startsWith("5");
    }

    private static void withProblemBody(String code, ApiResponse response) {
        if (response.getContent() != null && !response.getContent().isEmpty()) {
            return;
        }
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", "about:blank");
        example.put("title", response.getDescription() == null ? "Error" : firstClause(response.getDescription()));
        example.put("status", Integer.parseInt(code));
        example.put("detail", response.getDescription());
        if ("400".equals(code)) {
            example.put("title", "Invalid request");
            example.put("errors", List.of(Map.of("field", "quantity", "message", "must be greater than 0")));
        }
        response.setContent(new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)).example(example)));
    }

    private static String firstClause(String description) {
        int end = description.indexOf(';');
        return end < 0 ? description : description.substring(0, end);
    }

    private static Header ref(String header) {
        return new Header().$ref("#/components/headers/" + header);
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Schema<?> problemSchema() {
        Schema problem = new ObjectSchema().description("An RFC 9457 problem detail: every error any service answers")
                .addProperty("type", new StringSchema().description("A URI naming the problem's kind; about:blank when the"
                        + " status says it all"))
                .addProperty("title", new StringSchema().description("A short summary of the kind of problem"))
                .addProperty("status", new IntegerSchema().description("The HTTP status code"))
                .addProperty("detail", new StringSchema().description("What went wrong this time, for a person to read"))
                .addProperty("instance", new StringSchema().description("The request path that failed"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
                        .description("Each invalid input, when the request was invalid"));
        problem.setRequired(List.of("title", "status"));
        // Problems may carry members of their own (currentVersion after a 412, say).
        problem.setAdditionalProperties(Boolean.TRUE);
        return problem;
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static Schema<?> fieldErrorSchema() {
        Schema error = new ObjectSchema().description("One invalid input: which field or parameter, and what is wrong with it")
                .addProperty("field", new StringSchema().description("The field's path in the body (addOns[0].id), or the"
                        + " parameter's or header's name"))
                .addProperty("message", new StringSchema());
        error.setRequired(List.of("field", "message"));
        return error;
    }

    /**
     * A status in a body is one of the states known today: the saga may gain one, and a client must take it as
     * unknown, not fail. Enums of other members (a unit's kind, say) stay closed: they are what a request may send.
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void openEnums(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, property) -> {
            Schema target = property.getItems() != null ? property.getItems() : property;
            boolean aStatus = name.toLowerCase(java.util.Locale.ROOT).endsWith("status");
            if (aStatus && target.getEnum() != null && !target.getEnum().isEmpty()) {
                target.addExtension(OPEN_ENUM, new ArrayList<>(target.getEnum()));
                target.setEnum(null);
                String known = "One of the values in " + OPEN_ENUM + " today; more may be added, so treat one you do not"
                        + " know as unknown rather than as an error.";
                target.setDescription(target.getDescription() == null ? known : target.getDescription() + ". " + known);
            }
        });
    }
}
