package dev.bookingplatform.stripesim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A simulator started again on its journal is the same Stripe account, whatever the last one was doing. */
class StripeJournalTest {

    static final String SECRET = "whsec_journal_test";

    final HttpClient http = HttpClient.newHttpClient();

    /** Fixed once: a replay must send the very same parameters, and "now" moves on between two posts. */
    final long expiresAt = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();

    @TempDir
    Path directory;

    @Test
    void aRestartedSimulatorKnowsEverySessionRefundEventAndAnswer() throws Exception {
        Path journal = directory.resolve("stripe.jsonl");
        String created;
        String paidSession;
        List<String> events;
        try (StripeSimulator first = StripeSimulator.start("127.0.0.1", 0, SECRET, Clock.systemUTC(), journal)) {
            created = post(first, "/v1/checkout/sessions", sessionForm(), "key-1");
            paidSession = JsonParser.parseString(created).getAsJsonObject().get("id").getAsString();
            first.pay(paidSession);
            String intent = first.session(paidSession).orElseThrow().paymentIntent();
            post(first, "/v1/refunds", "payment_intent=" + intent + "&amount=100", "key-2");
            post(first, "/v1/checkout/sessions", sessionForm(), "key-3");
            events = first.events();
        }

        try (StripeSimulator second = StripeSimulator.start("127.0.0.1", 0, SECRET, Clock.systemUTC(), journal)) {
            assertThat(second.sessions()).hasSize(2);
            CheckoutSession paid = second.session(paidSession).orElseThrow();
            assertThat(paid.status()).isEqualTo("complete");
            assertThat(paid.paymentStatus()).isEqualTo("paid");
            assertThat(paid.metadata()).containsEntry("bookingId", "b-1");
            assertThat(paid.expiresAt()).isAfter(Instant.now());
            assertThat(second.refunds()).singleElement().satisfies(refund -> assertThat(refund.amount()).isEqualTo(100));
            assertThat(second.events()).isEqualTo(events);
            assertThat(post(second, "/v1/checkout/sessions", sessionForm(), "key-1")).as("the kept answer, not a new session")
                    .isEqualTo(created);
            assertThat(second.sessions()).hasSize(2);
            String refundAgain = post(second, "/v1/refunds", "payment_intent=" + paid.paymentIntent() + "&amount=9999", "key-2");
            assertThat(refundAgain).contains("idempotency_error");
        }
    }

    @Test
    void aLineCutShortByAKillIsSkippedAndTheRestIsKept() throws Exception {
        Path journal = directory.resolve("stripe.jsonl");
        String id;
        try (StripeSimulator first = StripeSimulator.start("127.0.0.1", 0, SECRET, Clock.systemUTC(), journal)) {
            id = JsonParser.parseString(post(first, "/v1/checkout/sessions", sessionForm(), "key-1")).getAsJsonObject().get("id")
                    .getAsString();
        }
        Files.writeString(journal, "{\"seq\":99,\"type\":\"session\",\"value\":{\"id\":\"cs_te", StandardOpenOption.APPEND);

        try (StripeSimulator second = StripeSimulator.start("127.0.0.1", 0, SECRET, Clock.systemUTC(), journal)) {
            assertThat(second.sessions()).extracting(CheckoutSession::id).containsExactly(id);
            second.pay(id);
        }
        try (StripeSimulator third = StripeSimulator.start("127.0.0.1", 0, SECRET, Clock.systemUTC(), journal)) {
            assertThat(third.session(id).orElseThrow().paymentStatus()).as("changes after the cut line are read too").isEqualTo("paid");
        }
    }

    @Test
    void aWebhookIsSentOnlyOnceItsEventIsWritten() throws Exception {
        Path journal = directory.resolve("stripe.jsonl");
        List<Boolean> writtenFirst = new CopyOnWriteArrayList<>();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String eventId = JsonParser.parseString(body).getAsJsonObject().get("id").getAsString();
            writtenFirst.add(Files.readString(journal).contains(eventId));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.start();
        try (StripeSimulator simulator = StripeSimulator.start("127.0.0.1", 0, SECRET, Clock.systemUTC(), journal)) {
            simulator.webhookEndpoint(URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/"));
            for (int i = 0; i < 20; i++) {
                String id = JsonParser.parseString(post(simulator, "/v1/checkout/sessions", sessionForm(), "key-" + i))
                        .getAsJsonObject().get("id").getAsString();
                HttpResponse<String> paid = http.send(HttpRequest.newBuilder(URI.create(simulator.apiBase() + "/checkout/" + id + "/pay"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(paid.statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> writtenFirst.size() == 20);
        }
        finally {
            endpoint.stop(0);
        }
        assertThat(writtenFirst).containsOnly(true);
    }

    private String post(StripeSimulator simulator, String path, String form, String key) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.apiBase() + path))
                .header("Authorization", "Bearer sk_test_journal").header("Idempotency-Key", key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String sessionForm() {
        return "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][unit_amount]=1500"
                + "&line_items[0][price_data][currency]=eur&line_items[0][price_data][product_data][name]=Room"
                + "&metadata[bookingId]=b-1&success_url=http://localhost/ok&cancel_url=http://localhost/no"
                + "&expires_at=" + expiresAt;
    }
}
