package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRules;
import org.jspecify.annotations.Nullable;

/**
 * The contract test: every request a scenario makes to a service, and every answer, checked against the OpenAPI
 * document checked in under {@code docs/openapi} (the one {@link OpenApiDocumentsIT} proves each service serves). An
 * answer the document does not describe (a status, a member, a type) fails the scenario that met it; so does a
 * request a service accepted although the document says it must not. A request refused with a 4xx is a scenario
 * probing bad input on purpose: only its answer is checked.
 */
final class OpenApiContract {

    /** Where the checked-in documents are, from the module's directory (where Maven runs the tests). */
    static final Path DOCUMENTS = Path.of("..", "docs", "openapi").toAbsolutePath().normalize();

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();

    private static final AtomicLong CHECKED = new AtomicLong();

    private OpenApiContract() {
    }

    static Path document(String service) {
        return DOCUMENTS.resolve(service + ".yaml");
    }

    static OpenApiInteractionValidator validator(String service) {
        return VALIDATORS.computeIfAbsent(service, name -> {
            try {
                // Stripe's webhook answers JSON whatever the Accept header says (WebhookIT); everywhere else an Accept
                // that names no documented type must have been refused.
                return OpenApiInteractionValidator.createForInlineApiSpecification(Files.readString(document(name)))
                        .withWhitelist(ValidationErrorsWhitelist.create().withRule("the webhook never refuses over Accept",
                                WhitelistRules.allOf(WhitelistRules.messageHasKey("validation.request.accept.notAllowed"),
                                        WhitelistRules.pathContainsSubstring("/webhooks/stripe"))))
                        .build();
            }
            catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException("No contract for " + name + " at " + document(name), ex);
            }
        });
    }

    /** How many exchanges scenarios of this JVM had checked. */
    static long checked() {
        return CHECKED.get();
    }

    /**
     * Whether a request to this path is the documented API's: actuator, the documents themselves and the servlet
     * container's error path are not.
     */
    static boolean isDocumented(String path) {
        return !path.startsWith("/actuator") && !path.startsWith("/v3/api-docs") && !path.startsWith("/swagger-ui")
                && !path.equals("/error");
    }

    /** @throws AssertionError naming each way the exchange departs from the service's document */
    static void check(String service, HttpRequest request, @Nullable String requestBody, HttpResponse<String> response) {
        ValidationReport report = report(service, request, requestBody, response);
        CHECKED.incrementAndGet();
        if (report.hasErrors()) {
            throw new AssertionError("The exchange " + request.method() + " " + request.uri().getPath() + " -> "
                    + response.statusCode() + " departs from docs/openapi/" + service + ".yaml:\n"
                    + String.join("\n", report.getMessages().stream().map(Object::toString).toList()) + "\nbody: "
                    + abbreviate(response.body()));
        }
    }

    static ValidationReport report(String service, HttpRequest request, @Nullable String requestBody,
            HttpResponse<String> response) {
        OpenApiInteractionValidator validator = validator(service);
        Request.Method method = Request.Method.valueOf(request.method());
        URI uri = request.uri();
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach(answer::withHeader);
        if (response.body() != null && !response.body().isEmpty()) {
            answer.withBody(response.body());
        }
        if (response.statusCode() >= 400) {
            return validator.validateResponse(uri.getPath(), method, answer.build());
        }
        SimpleRequest.Builder asked = new SimpleRequest.Builder(method, uri.getPath());
        request.headers().map().forEach(asked::withHeader);
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                asked.withQueryParam(name, value);
            }
        }
        if (requestBody != null && !requestBody.isEmpty()) {
            asked.withBody(requestBody);
        }
        return validator.validate(asked.build(), answer.build());
    }

    /** The bytes a request's body publisher sends, read without sending them. */
    static @Nullable String bodyOf(HttpRequest request) {
        if (request.bodyPublisher().isEmpty() || request.bodyPublisher().get().contentLength() == 0) {
            return null;
        }
        List<ByteBuffer> parts = new ArrayList<>();
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                parts.add(item);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.join();
        int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return new String(all.array(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(@Nullable String body) {
        return body == null ? "" : body.length() > 600 ? body.substring(0, 600) + "..." : body;
    }
}
