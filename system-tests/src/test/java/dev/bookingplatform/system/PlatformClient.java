package dev.bookingplatform.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.bookingplatform.localstack.system.BookingSystem;
import dev.bookingplatform.localstack.system.RunningService;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a gateway, an operator and a paying customer do, over real HTTP, plus reads of each database. */
final class PlatformClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A court of one by the hour in Lisbon time, EUR 20.00 an hour, 1 to 3 hours per booking. */
    static final String HOURLY_COURT = """
            {"name":"Court","capacityPerUnit":1,"unitPriceMinor":2000,"currency":"EUR","holdDurationSeconds":2400,
             "timeZone":"Europe/Lisbon","unit":{"kind":"MINUTES","minutes":60},"minUnits":1,"maxUnits":3}""";

    private final BookingSystem system;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The gateway's own identity, with every scope: the scenarios act for support, edit the catalogue, and do ops. */
    private final String gatewayToken;

    PlatformClient(BookingSystem system) {
        this.system = system;
        this.gatewayToken = system.tokens().issue("system-tests-gateway", Duration.ofHours(6), Scopes.BOOKINGS_WRITE,
                Scopes.BOOKINGS_READ, Scopes.BOOKINGS_ADMIN, Scopes.CATALOG_WRITE, Scopes.OPS);
    }

    /** A token of a customer of one's own: only what {@code subject} created is theirs. */
    String customerToken(String subject) {
        return system.tokens().issue(subject, Duration.ofHours(1), Scopes.BOOKINGS_WRITE, Scopes.BOOKINGS_READ);
    }

    /** The shortest hold Stripe's 30-minute session minimum allows, plus a margin. */
    static final int HOLD_SECONDS = 2_400;

    /** A resource of this scenario's own, known to booking-service before this returns. */
    String createResource(String prefix, int capacity, long unitPriceMinor, int holdSeconds, Map<String, Long> addOns) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder addOnJson = new StringBuilder();
        addOns.forEach((addOn, price) -> addOnJson.append(addOnJson.isEmpty() ? "" : ",")
                .append("{\"id\":\"%s\",\"name\":\"%s\",\"unitPriceMinor\":%d}".formatted(addOn, addOn, price)));
        HttpResponse<String> created = put(system.inventory().url() + "/api/resources/" + id, null, """
                {"name":"%s","capacityPerUnit":%d,"unitPriceMinor":%d,"currency":"EUR","holdDurationSeconds":%d,"addOns":[%s]}
                """.formatted(id, capacity, unitPriceMinor, holdSeconds, addOnJson));
        return awaitKnown(created, id);
    }

    /** A resource of this scenario's own, from a whole request body (booking rules included). */
    String createResource(String prefix, String json) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return awaitKnown(put(system.inventory().url() + "/api/resources/" + id, null, json), id);
    }

    private String awaitKnown(HttpResponse<String> created, String id) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc(system.booking())
                .sql("SELECT count(*) FROM known_resource WHERE id = ?").param(id).query(Long.class).single() == 1);
        return id;
    }

    /** A future slot of its own (a random hour next year), so capacity is never shared across scenarios. */
    static Instant freshSlot() {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(30))
                .plus(Duration.ofHours(ThreadLocalRandom.current().nextInt(1, 8000)));
    }

    /** One hour from {@code slotStart}: a resource created without booking rules is booked by the hour. */
    static String bookingJson(String email, String resourceId, Instant slotStart, int quantity, String addOnsJson) {
        return bookingJson(email, resourceId, slotStart, slotStart.plus(Duration.ofHours(1)), quantity, addOnsJson);
    }

    static String bookingJson(String email, String resourceId, Instant slotStart, Instant slotEnd, int quantity, String addOnsJson) {
        return """
                {"customerEmail":"%s","customerName":"Ada Lovelace","resourceId":"%s","slotStart":"%s","slotEnd":"%s",
                 "quantity":%d,"addOns":[%s]}""".formatted(email, resourceId, slotStart, slotEnd, quantity, addOnsJson);
    }

    HttpResponse<String> book(String idempotencyKey, String json) {
        return post(system.booking().url() + "/api/bookings", Map.of("Idempotency-Key", idempotencyKey), json);
    }

    UUID bookOk(String json) {
        HttpResponse<String> response = book(UUID.randomUUID().toString(), json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(JSON.readTree(response.body()).get("id").asString());
    }

    JsonNode booking(UUID id) {
        return JSON.readTree(get(system.booking().url() + "/api/bookings/" + id).body());
    }

    JsonNode awaitStatus(UUID id, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> status.equals(booking(id).get("status").asString()));
        return booking(id);
    }

    /** Waits for the checkout URL and returns the Stripe session id in it. */
    String awaitCheckoutSession(UUID id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> booking(id).get("checkoutUrl").isString());
        String url = booking(id).get("checkoutUrl").asString();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The customer presses "Pay" on the simulator's checkout page. */
    HttpResponse<String> pressPay(String sessionId) {
        return post(system.stripe().apiBase() + "/checkout/" + sessionId + "/pay", Map.of(), "");
    }

    /** The customer pays by bank debit: checkout completes, the money arrives (or not) later. */
    HttpResponse<String> pressPayLater(String sessionId) {
        return post(system.stripe().apiBase() + "/checkout/" + sessionId + "/pay-later", Map.of(), "");
    }

    HttpResponse<String> pressDecline(String sessionId) {
        return post(system.stripe().apiBase() + "/checkout/" + sessionId + "/decline", Map.of(), "");
    }

    HttpResponse<String> cancel(UUID id) {
        return post(system.booking().url() + "/api/bookings/" + id + "/cancel", Map.of(), "");
    }

    List<jakarta.mail.internet.MimeMessage> mailsTo(String email) {
        return List.of(system.smtp().getReceivedMessages()).stream()
                .filter(message -> {
                    try {
                        return message.getAllRecipients()[0].toString().equalsIgnoreCase(email);
                    }
                    catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    /** Units held of the resource, summed over its units. */
    int taken(String resourceId) {
        return jdbc(system.inventory()).sql("SELECT coalesce(sum(held), 0) FROM unit_stock WHERE resource_id = ?")
                .param(resourceId).query(Integer.class).single();
    }

    static JdbcClient jdbc(RunningService service) {
        return JdbcClient.create(service.dataSource());
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    HttpResponse<String> post(String url, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    HttpResponse<String> put(String url, String ifMatch, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request);
    }

    /** Which of our services a URI reaches, by its port; null for the Stripe simulator and anything else. */
    @org.jspecify.annotations.Nullable
    String serviceAt(URI uri) {
        for (RunningService service : List.of(system.booking(), system.inventory(), system.payment(), system.notification())) {
            try {
                if (service.url().getPort() == uri.getPort()) {
                    return service.name();
                }
            }
            catch (RuntimeException stopped) {
                // A scenario stopped this service: it answers nothing to check.
            }
        }
        return null;
    }

    /**
     * A GET written byte for byte on a socket, for a target {@link java.net.URI} refuses to build ({@code ?page=%zz}):
     * the status, the Content-Type and the body of the answer.
     */
    RawAnswer rawGet(java.net.URI service, String target) {
        try (java.net.Socket socket = new java.net.Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + service.getHost() + ":" + service.getPort()
                    + "\r\nAuthorization: Bearer " + gatewayToken + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int headersEnd = answer.indexOf("\r\n\r\n");
            String head = answer.substring(0, headersEnd);
            String contentType = head.lines().filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).trim()).findFirst().orElse("");
            return new RawAnswer(Integer.parseInt(head.split(" ")[1]), contentType, answer.substring(headersEnd + 4));
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** An answer read off a socket; a chunked body keeps its chunk sizes, which assertions on its text do not mind. */
    record RawAnswer(int status, String contentType, String body) {
    }

    /** Sends with the gateway's token unless the request carries its own, or goes to the Stripe simulator. */
    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            boolean toOurServices = !built.uri().toString().startsWith(system.stripe().apiBase().toString());
            if (toOurServices && built.headers().firstValue("Authorization").isEmpty()) {
                built = HttpRequest.newBuilder(built, (name, value) -> true).header("Authorization", "Bearer " + gatewayToken).build();
            }
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            String service = serviceAt(built.uri());
            if (service != null && OpenApiContract.isDocumented(built.uri().getPath())) {
                OpenApiContract.check(service, built, OpenApiContract.bodyOf(built), response);
            }
            return response;
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
