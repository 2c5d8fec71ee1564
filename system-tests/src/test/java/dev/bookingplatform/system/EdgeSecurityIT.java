package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;
import dev.bookingplatform.web.security.ForgedTokens;

import static dev.bookingplatform.web.security.Scopes.BOOKINGS_ADMIN;
import static dev.bookingplatform.web.security.Scopes.BOOKINGS_READ;
import static dev.bookingplatform.web.security.Scopes.BOOKINGS_WRITE;
import static dev.bookingplatform.web.security.Scopes.CATALOG_WRITE;
import static dev.bookingplatform.web.security.Scopes.OPS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of every service, as its handler mappings list it, against the tokens an attacker has: none,
 * expired, another key's signature, {@code alg: none}, an RS256 token, the wrong issuer or audience, no expiry,
 * the wrong scope, another customer's. Each must get its 401, 403 or 404 as a problem detail with the bearer
 * challenge, and nothing may be read or changed. An endpoint the rules below do not name fails the suite, so a
 * new endpoint cannot slip through unreviewed.
 */
@Timeout(300)
class EdgeSecurityIT {

    enum Access { PUBLIC, SIGNATURE, ANY_TOKEN, SCOPED, OWNED }

    record Rule(String method, String pattern, Access access, Set<String> scopes) {
    }

    /** The reviewed access rules: method ("*" for any), path pattern as the mapping declares it. */
    static final List<Rule> RULES = List.of(
            rule("POST", "/api/bookings", Access.SCOPED, BOOKINGS_WRITE, BOOKINGS_ADMIN),
            rule("GET", "/api/bookings", Access.SCOPED, BOOKINGS_READ, BOOKINGS_ADMIN),
            rule("POST", "/api/bookings/search", Access.SCOPED, BOOKINGS_ADMIN),
            rule("GET", "/api/bookings/{id}", Access.OWNED, BOOKINGS_READ, BOOKINGS_ADMIN),
            rule("GET", "/api/bookings/{id}/events", Access.OWNED, BOOKINGS_READ, BOOKINGS_ADMIN),
            rule("POST", "/api/bookings/{id}/cancel", Access.OWNED, BOOKINGS_WRITE, BOOKINGS_ADMIN),
            rule("GET", "/ops/bookings/attention", Access.SCOPED, OPS),
            rule("POST", "/ops/bookings/{id}/retry-refund", Access.SCOPED, OPS),
            rule("GET", "/ops/relay", Access.SCOPED, OPS),
            rule("POST", "/ops/relay/republish", Access.SCOPED, OPS),
            rule("POST", "/ops/bookings/{id}/compensate", Access.SCOPED, OPS),
            rule("POST", "/ops/customers/erasure", Access.SCOPED, OPS),
            rule("GET", "/ops/dead-letters", Access.SCOPED, OPS),
            rule("GET", "/ops/dead-letters/{topic}/{partition}/{offset}", Access.SCOPED, OPS),
            rule("POST", "/ops/dead-letters/{topic}/{partition}/{offset}/replay", Access.SCOPED, OPS),
            rule("POST", "/ops/dead-letters/{topic}/{partition}/{offset}/skip", Access.SCOPED, OPS),
            rule("POST", "/ops/dead-letters/replay", Access.SCOPED, OPS),
            rule("GET", "/ops/events", Access.SCOPED, OPS),
            rule("GET", "/ops/events/stats", Access.SCOPED, OPS),
            rule("GET", "/ops/timeline/{aggregateId}", Access.SCOPED, OPS),
            rule("GET", "/ops/consistency/bookings", Access.SCOPED, OPS),
            rule("POST", "/ops/consistency/bookings", Access.SCOPED, OPS),
            rule("POST", "/ops/consistency/holds", Access.SCOPED, OPS),
            rule("POST", "/ops/consistency/payments", Access.SCOPED, OPS),
            rule("GET", "/actuator/prometheus", Access.SCOPED, OPS),
            rule("GET", "/actuator/metrics", Access.SCOPED, OPS),
            rule("GET", "/actuator/metrics/{requiredMetricName}", Access.SCOPED, OPS),
            rule("GET", "/api/resources", Access.ANY_TOKEN),
            rule("GET", "/api/resources/{id}", Access.ANY_TOKEN),
            rule("GET", "/api/resources/{id}/availability", Access.ANY_TOKEN),
            rule("PUT", "/api/resources/{id}", Access.SCOPED, CATALOG_WRITE),
            rule("POST", "/webhooks/stripe", Access.SIGNATURE),
            rule("GET", "/actuator", Access.SCOPED, OPS),
            rule("GET", "/actuator/info", Access.SCOPED, OPS),
            rule("GET", "/actuator/health", Access.PUBLIC),
            rule("GET", "/actuator/health/**", Access.PUBLIC),
            rule("*", "/error", Access.PUBLIC),
            rule("GET", "/v3/api-docs", Access.PUBLIC),
            rule("GET", "/v3/api-docs.yaml", Access.PUBLIC),
            rule("GET", "/v3/api-docs/swagger-config", Access.PUBLIC),
            rule("GET", "/swagger-ui.html", Access.PUBLIC));

    static final BookingSystem system = TheSystem.get();

    static final PlatformClient client = new PlatformClient(system);

    static final java.net.http.HttpClient RAW = java.net.http.HttpClient.newHttpClient();

    static String resource;

    static UUID adasBooking;

    static final String ADA_EMAIL = "ada+" + UUID.randomUUID() + "@example.com";

    static final String ADA = "customer-ada-" + UUID.randomUUID();

    @BeforeAll
    static void aCustomersBooking() {
        resource = client.createResource("secured", 5, 1_000, PlatformClient.HOLD_SECONDS, Map.of());
        HttpResponse<String> created = client.post(system.booking().url() + "/api/bookings", Map.of("Idempotency-Key",
                "first-booking", "Authorization", "Bearer " + client.customerToken(ADA)),
                PlatformClient.bookingJson(ADA_EMAIL, resource, PlatformClient.freshSlot(), 1, ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        adasBooking = UUID.fromString(PlatformClient.JSON.readTree(created.body()).get("id").asString());
    }

    @Test
    void everyEndpointOfEveryServiceHasAReviewedRule() {
        List<String> unreviewed = new ArrayList<>();
        endpoints().forEach((endpoint, service) -> {
            if (ruleFor(endpoint.method(), endpoint.pattern()) == null) {
                unreviewed.add(service.name() + " " + endpoint.method() + " " + endpoint.pattern());
            }
        });
        assertThat(unreviewed).as("endpoints without a rule in EdgeSecurityIT.RULES").isEmpty();
        // Functional routes would not show in the mappings above: there must be none until this suite lists them.
        for (RunningService service : system.services()) {
            ((RunningService.InJvm) service).context()
                    .getBeansOfType(org.springframework.web.servlet.function.support.RouterFunctionMapping.class).values()
                    .forEach(mapping -> assertThat(mapping.getRouterFunction()).as(service.name() + " router functions").isNull());
        }
        assertThat(endpoints().keySet().stream().map(endpoint -> endpoint.method() + " " + endpoint.pattern()).distinct())
                .as("distinct endpoints found").hasSizeGreaterThanOrEqualTo(RULES.size() - 3);
    }

    @Test
    void forgedMissingOrMisclaimedTokensGet401AndChangeNothing() throws Exception {
        Map<String, Long> before = footprint();
        Map<String, String> forged = forgedTokens();
        Set<String> called = new LinkedHashSet<>();
        endpoints().forEach((endpoint, service) -> {
            Rule rule = ruleFor(endpoint.method(), endpoint.pattern());
            if (rule.access() == Access.PUBLIC || rule.access() == Access.SIGNATURE) {
                return;
            }
            called.add(service.name());
            forged.forEach((what, token) -> {
                HttpResponse<String> response = call(service, endpoint, token);
                assertThat(response.statusCode()).as(what + " on " + endpoint + ": " + response.body()).isEqualTo(401);
                assertChallenge(response, what + " on " + endpoint);
                assertThat(response.body()).doesNotContain(ADA_EMAIL);
            });
        });
        assertThat(called).as("services whose endpoints were called with forged tokens")
                .containsExactlyInAnyOrderElementsOf(system.services().stream().map(RunningService::name).toList());
        assertThat(footprint()).isEqualTo(before);
    }

    @Test
    void aValidTokenWithoutTheScopeGets403AndChangesNothing() {
        Map<String, Long> before = footprint();
        String unrelated = system.tokens().issue(ADA, java.time.Duration.ofMinutes(5), "profile");
        endpoints().forEach((endpoint, service) -> {
            Rule rule = ruleFor(endpoint.method(), endpoint.pattern());
            HttpResponse<String> response = call(service, endpoint, unrelated);
            switch (rule.access()) {
                case SCOPED, OWNED -> {
                    assertThat(response.statusCode()).as(endpoint + ": " + response.body()).isEqualTo(403);
                    assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("insufficient_scope");
                    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                }
                // Past security: a 200, or the endpoint's own answer to the suite's made-up parameters.
                case ANY_TOKEN -> assertThat(response.statusCode()).as(endpoint + ": " + response.body()).isIn(200, 400);
                case PUBLIC -> assertThat(response.statusCode()).as(endpoint.toString()).isNotIn(401, 403);
                case SIGNATURE -> assertThat(response.statusCode()).as("a token is no signature: " + endpoint).isEqualTo(400);
            }
            assertThat(response.body()).doesNotContain(ADA_EMAIL);
        });
        assertThat(footprint()).isEqualTo(before);
    }

    @Test
    void anotherCustomersBookingIsNotFoundAndTheirListAndKeysAreTheirOwn() {
        String bob = client.customerToken("customer-bob-" + UUID.randomUUID());
        Map<String, Long> before = footprint();

        for (String path : List.of("/api/bookings/" + adasBooking, "/api/bookings/" + adasBooking + "/cancel",
                "/api/bookings/" + adasBooking + "/events")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.booking().url() + path))
                    .header("Authorization", "Bearer " + bob);
            HttpResponse<String> response = client.send(path.endsWith("cancel")
                    ? request.POST(HttpRequest.BodyPublishers.noBody()) : request.GET());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(404);
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(system.booking().url()
                    + path.replace(adasBooking.toString(), UUID.randomUUID().toString()))).header("Authorization", "Bearer " + bob)
                    .method(path.endsWith("cancel") ? "POST" : "GET", HttpRequest.BodyPublishers.noBody()));
            // Indistinguishable from an id that does not exist.
            assertThat(response.body().replace(adasBooking.toString(), "ID"))
                    .isEqualTo(missing.body().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID"));
        }
        assertThat(footprint()).isEqualTo(before);

        HttpResponse<String> bobsList = client.send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings"))
                .header("Authorization", "Bearer " + bob).GET());
        assertThat(bobsList.statusCode()).isEqualTo(200);
        assertThat(bobsList.body()).doesNotContain(ADA_EMAIL).doesNotContain(adasBooking.toString());
        // An address is never taken from a URL, whoever asks; support looks it up in a body, with an admin token only.
        for (String token : List.of(bob, client.customerToken(ADA), system.tokens().issue("support-" + UUID.randomUUID(),
                java.time.Duration.ofMinutes(5), BOOKINGS_ADMIN))) {
            HttpResponse<String> byEmail = client.send(HttpRequest.newBuilder(URI.create(system.booking().url()
                    + "/api/bookings?email=" + ADA_EMAIL.replace("+", "%2B"))).header("Authorization", "Bearer " + token).GET());
            assertThat(byEmail.statusCode()).as(byEmail.body()).isEqualTo(400);
            assertThat(byEmail.body()).doesNotContain(adasBooking.toString()).contains("POST /api/bookings/search");
        }
        String search = "{\"email\":\"" + ADA_EMAIL + "\"}";
        HttpResponse<String> bobSearches = client.post(system.booking().url() + "/api/bookings/search",
                Map.of("Authorization", "Bearer " + bob), search);
        assertThat(bobSearches.statusCode()).as(bobSearches.body()).isEqualTo(403);
        assertThat(bobSearches.body()).doesNotContain(adasBooking.toString());
        HttpResponse<String> supportSearches = client.post(system.booking().url() + "/api/bookings/search", Map.of("Authorization",
                "Bearer " + system.tokens().issue("support-" + UUID.randomUUID(), java.time.Duration.ofMinutes(5), BOOKINGS_ADMIN)), search);
        assertThat(supportSearches.statusCode()).as(supportSearches.body()).isEqualTo(200);
        assertThat(PlatformClient.JSON.readTree(supportSearches.body()).get("items").size()).as(supportSearches.body()).isEqualTo(1);
        assertThat(supportSearches.body()).contains(adasBooking.toString());
        // The look-up is kept like a change: who, and for whom as the address's digest, never the address.
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT target || ' ' || detail FROM audit_entry WHERE action = 'booking.search-by-email'"
                + " AND target = ?").param(dev.bookingplatform.booking.AddressDigest.of(ADA_EMAIL.toUpperCase(java.util.Locale.ROOT)))
                .query(String.class).list()).isNotEmpty().allSatisfy(row -> assertThat(row).doesNotContain(ADA_EMAIL).endsWith("1 booking(s)"));

        HttpResponse<String> adasList = client.send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings"))
                .header("Authorization", "Bearer " + client.customerToken(ADA)).GET());
        assertThat(adasList.body()).contains(adasBooking.toString());

        // Bob's "first-booking" is Bob's: a new booking, not Ada's answer replayed.
        HttpResponse<String> bobsFirst = client.post(system.booking().url() + "/api/bookings", Map.of("Idempotency-Key",
                "first-booking", "Authorization", "Bearer " + bob),
                PlatformClient.bookingJson("bob@example.com", resource, PlatformClient.freshSlot(), 1, ""));
        assertThat(bobsFirst.statusCode()).as(bobsFirst.body()).isEqualTo(202);
        assertThat(bobsFirst.headers().firstValue("Idempotent-Replayed")).contains("false");
        assertThat(bobsFirst.body()).doesNotContain(adasBooking.toString()).doesNotContain(ADA_EMAIL);
    }

    @Test
    void whatAdminAndCatalogTokensChangeIsAudited() {
        String admin = system.tokens().issue("support-" + UUID.randomUUID(), java.time.Duration.ofMinutes(5), BOOKINGS_ADMIN);
        UUID someonesBooking = client.bookOk(PlatformClient.bookingJson("eve@example.com", resource, PlatformClient.freshSlot(), 1, ""));
        HttpResponse<String> cancelled = client.send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings/"
                + someonesBooking + "/cancel")).header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);

        var entry = PlatformClient.jdbc(system.booking()).sql("SELECT subject, scopes, action FROM audit_entry WHERE target = ?")
                .param(someonesBooking.toString()).query((rs, row) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
        assertThat(entry).anySatisfy(row -> assertThat(row).containsExactly(
                subjectOf(admin), BOOKINGS_ADMIN, "booking.cancel"));
        assertThat(PlatformClient.jdbc(system.inventory()).sql("SELECT count(*) FROM audit_entry WHERE target = ? AND action = 'resource.create'")
                .param(resource).query(Long.class).single()).isEqualTo(1);

        // A booking the admin token made itself (support booking for a caller on the phone): both changes audited.
        HttpResponse<String> made = client.post(system.booking().url() + "/api/bookings", Map.of("Idempotency-Key",
                UUID.randomUUID().toString(), "Authorization", "Bearer " + admin),
                PlatformClient.bookingJson("phone+" + UUID.randomUUID() + "@example.com", resource, PlatformClient.freshSlot(), 1, ""));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(202);
        String own = PlatformClient.JSON.readTree(made.body()).get("id").asString();
        assertThat(client.send(HttpRequest.newBuilder(URI.create(system.booking().url() + "/api/bookings/" + own + "/cancel"))
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(202);
        assertThat(PlatformClient.jdbc(system.booking()).sql("SELECT subject || ' ' || scopes || ' ' || action FROM audit_entry"
                + " WHERE target = ? ORDER BY 1").param(own).query(String.class).list()).containsExactlyInAnyOrder(
                        subjectOf(admin) + " " + BOOKINGS_ADMIN + " booking.create", subjectOf(admin) + " " + BOOKINGS_ADMIN + " booking.cancel");

        // A catalogue edit: who, with which scopes, what.
        String editor = system.tokens().issue("catalog-" + UUID.randomUUID(), java.time.Duration.ofMinutes(5), CATALOG_WRITE);
        String current = client.get(system.inventory().url() + "/api/resources/" + resource).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> edited = client.send(HttpRequest.newBuilder(URI.create(system.inventory().url() + "/api/resources/" + resource))
                .header("Authorization", "Bearer " + editor).header("Content-Type", "application/json").header("If-Match", current)
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"secured\",\"capacityPerUnit\":6,\"unitPriceMinor\":1000,\"currency\":\"EUR\",\"holdDurationSeconds\":2400}")));
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        assertThat(PlatformClient.jdbc(system.inventory()).sql("SELECT subject || ' ' || scopes FROM audit_entry WHERE target = ?"
                + " AND action = 'resource.update'").param(resource).query(String.class).list())
                .containsExactly(subjectOf(editor) + " " + CATALOG_WRITE);
    }

    /** Booking's API and inventory's catalogue, the two documents a gateway builds on. */
    @Test
    void theOpenApiDocumentsDeclareTheBearerSchemeAndEachOperationsScopes() {
        List<String> checked = new ArrayList<>();
        for (RunningService service : List.of(system.booking(), system.inventory())) {
            var document = PlatformClient.JSON.readTree(client.get(service.url() + "/v3/api-docs").body());

            // 3.0 for the tools a gateway team uses; its requirements name scopes all the same (README, "The API contract").
            assertThat(document.get("openapi").asString()).startsWith("3.0");
            assertThat(document.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
            assertThat(document.at("/components/securitySchemes/bearer/bearerFormat").asString()).isEqualTo("JWT");
            document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                Rule rule = ruleFor(operation.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey());
                assertThat(rule).as("documented " + operation.getKey() + " " + path.getKey()).isNotNull();
                var requirements = operation.getValue().path("security");
                if (rule.access() == Access.ANY_TOKEN) {
                    // Any valid token: one bearer requirement naming no scope.
                    assertThat(requirements).as(rule.toString()).singleElement()
                            .satisfies(requirement -> assertThat(requirement.get("bearer")).isEmpty());
                }
                else {
                    // One requirement per accepted scope: any one of them suffices, as the rules say.
                    Set<String> documented = new LinkedHashSet<>();
                    requirements.forEach(requirement -> {
                        assertThat(requirement.get("bearer")).as(rule.toString()).hasSize(1);
                        documented.add(requirement.get("bearer").get(0).asString());
                    });
                    assertThat(documented).as(rule.toString()).isEqualTo(rule.scopes());
                }
                checked.add(service.name() + " " + operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }));
        }
        assertThat(checked).contains("booking-service POST /api/bookings", "booking-service GET /api/bookings/{id}",
                "booking-service POST /api/bookings/search", "booking-service GET /ops/relay",
                "booking-service GET /ops/bookings/attention", "inventory-service PUT /api/resources/{id}",
                "inventory-service GET /api/resources", "inventory-service POST /ops/consistency/holds");
    }

    @Test
    void aTokenWithOnlyOtherScopesGets403() {
        List<String> scopes = List.of(BOOKINGS_READ, BOOKINGS_WRITE, BOOKINGS_ADMIN, CATALOG_WRITE, OPS);
        Map<String, Long> before = footprint();
        endpoints().forEach((endpoint, service) -> {
            Rule rule = ruleFor(endpoint.method(), endpoint.pattern());
            if (rule.access() != Access.SCOPED && rule.access() != Access.OWNED) {
                return;
            }
            for (String scope : scopes) {
                if (rule.scopes().contains(scope)) {
                    continue;
                }
                HttpResponse<String> response = call(service, endpoint,
                        system.tokens().issue(ADA, java.time.Duration.ofMinutes(5), scope));
                assertThat(response.statusCode()).as(scope + " on " + endpoint + ": " + response.body()).isEqualTo(403);
            }
        });
        assertThat(footprint()).isEqualTo(before);
    }

    // --- the endpoints, and how to call each ---

    /** One handler mapping of one service: the ops and actuator paths every service has are each called at each service. */
    record Endpoint(String service, String method, String pattern) {
    }

    static Map<Endpoint, RunningService> endpoints() {
        Map<Endpoint, RunningService> endpoints = new LinkedHashMap<>();
        for (RunningService service : system.services()) {
            var context = ((RunningService.InJvm) service).context();
            for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
                for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                    Set<String> methods = new LinkedHashSet<>();
                    info.getMethodsCondition().getMethods().forEach(method -> methods.add(method.name()));
                    if (methods.isEmpty()) {
                        methods.add("*");
                    }
                    for (String pattern : info.getPatternValues()) {
                        methods.forEach(method -> endpoints.put(new Endpoint(service.name(), method, pattern), service));
                    }
                }
            }
        }
        return endpoints;
    }

    static Rule ruleFor(String method, String pattern) {
        return RULES.stream().filter(rule -> rule.pattern().equals(pattern) && (rule.method().equals(method) || rule.method().equals("*")))
                .findFirst().orElse(null);
    }

    static HttpResponse<String> call(RunningService service, Endpoint endpoint, String token) {
        String path = endpoint.pattern().replace("/**", "/liveness").replace("{topic}", "booking.events")
                .replace("{partition}", "0").replace("{offset}", "0").replace("{aggregateId}", adasBooking.toString())
                .replace("{requiredMetricName}", "jvm.threads.live")
                .replace("{id}", endpoint.pattern().startsWith("/api/resources") ? resource : adasBooking.toString());
        String method = endpoint.method().equals("*") ? "GET" : endpoint.method();
        String body = switch (path.replaceAll("/[^/]+/cancel$", "/x/cancel")) {
            case "/api/bookings" -> PlatformClient.bookingJson(ADA_EMAIL, resource, PlatformClient.freshSlot(), 1, "");
            case "/api/bookings/search" -> "{\"email\":\"" + ADA_EMAIL + "\"}";
            case "/ops/relay/republish" -> "{\"fromSequence\":1,\"reason\":\"attacker\"}";
            case "/ops/dead-letters/replay" -> "{\"dryRun\":false,\"reason\":\"attacker\"}";
            case "/webhooks/stripe" -> "{\"id\":\"evt_forged\",\"type\":\"checkout.session.completed\"}";
            default -> path.startsWith("/api/resources/") && method.equals("PUT")
                    ? "{\"name\":\"free\",\"capacityPerUnit\":100000,\"unitPriceMinor\":0,\"currency\":\"EUR\",\"holdDurationSeconds\":2400}"
                    : "";
        };
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("Content-Type", "application/json").header("Idempotency-Key", "forged-" + UUID.randomUUID())
                .header("If-Match", "\"0\"")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            // Not PlatformClient: it would add the gateway's token to a request that has none.
            HttpRequest built = request.timeout(java.time.Duration.ofSeconds(30)).build();
            HttpResponse<String> response = RAW.send(built, HttpResponse.BodyHandlers.ofString());
            if (OpenApiContract.isDocumented(path)) {
                // Every refusal of the matrix is an answer the service's contract must list.
                OpenApiContract.check(service.name(), built, body.isEmpty() ? null : body, response);
            }
            return response;
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Counts that would move if a refused request got through anywhere. */
    static Map<String, Long> footprint() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("bookings", count(system.booking(), "SELECT count(*) FROM booking"));
        counts.put("ada cancelled", count(system.booking(), "SELECT count(*) FROM booking WHERE id = '" + adasBooking
                + "' AND cancellation_requested_at IS NOT NULL"));
        counts.put("idempotency keys", count(system.booking(), "SELECT count(*) FROM idempotency_key"));
        counts.put("booking audit", count(system.booking(), "SELECT count(*) FROM audit_entry"));
        counts.put("resource version", count(system.inventory(), "SELECT version FROM resource WHERE id = '" + resource + "'"));
        counts.put("inventory audit", count(system.inventory(), "SELECT count(*) FROM audit_entry"));
        for (RunningService service : system.services()) {
            counts.put(service.name() + " republish requests", count(service, "SELECT count(*) FROM relay_republish"));
        }
        counts.put("webhooks", count(system.payment(), "SELECT count(*) FROM stripe_webhook_event"));
        return counts;
    }

    private static long count(RunningService service, String sql) {
        return PlatformClient.jdbc(service).sql(sql).query(Long.class).single();
    }

    /** What an attacker can send: each must be a 401. */
    static Map<String, String> forgedTokens() throws Exception {
        byte[] key = Base64.getDecoder().decode(system.tokens().secret());
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("attacker").generate();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no bearer token", "");
        tokens.put("garbage", "not.a.jwt");
        tokens.put("expired", ForgedTokens.hs256(key, claims().expirationTime(Date.from(Instant.now().minusSeconds(300))).build()));
        tokens.put("another key's signature", ForgedTokens.hs256(Base64.getDecoder().decode(
                dev.bookingplatform.web.security.LocalTokens.generate().secret()), claims().build()));
        tokens.put("alg none", ForgedTokens.unsigned(claims().build()));
        tokens.put("RS256 of the attacker's key", ForgedTokens.rs256(rsa, claims().build()));
        tokens.put("HS256 keyed with a public key", ForgedTokens.hs256WithPublicKey(rsa, claims().build()));
        tokens.put("wrong issuer", ForgedTokens.hs256(key, claims().issuer("https://evil.example").build()));
        tokens.put("wrong audience", ForgedTokens.hs256(key, claims().audience("another-api").build()));
        tokens.put("no expiry", ForgedTokens.hs256(key, claims().expirationTime(null).build()));
        return tokens;
    }

    private static JWTClaimsSet.Builder claims() {
        return ForgedTokens.claims(ADA, String.join(" ", BOOKINGS_READ, BOOKINGS_WRITE, BOOKINGS_ADMIN, CATALOG_WRITE, OPS));
    }

    private static void assertChallenge(HttpResponse<String> response, String what) {
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).as(what).startsWith("Bearer");
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
        assertThat(response.body()).as(what).contains("\"status\":401").doesNotContain("Exception").doesNotContain("at org.");
    }

    private static String subjectOf(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return PlatformClient.JSON.readTree(payload).get("sub").asString();
    }

    private static Rule rule(String method, String pattern, Access access, String... scopes) {
        return new Rule(method, pattern, access, Set.of(scopes));
    }
}
