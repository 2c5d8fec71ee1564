package dev.bookingplatform.events.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.bookingplatform.events.SampleEvents;
import dev.bookingplatform.events.Topics;
import dev.bookingplatform.events.serde.AvroEventDeserializer;
import dev.bookingplatform.events.serde.AvroEventSerializer;
import dev.bookingplatform.events.serde.ConfluentWireFormat;
import dev.bookingplatform.testsupport.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The registry client against real HTTP servers that misbehave. */
@Timeout(30)
class RestSchemaRegistryClientFailuresTest {

    private static final String SUBJECT = "booking.events-dev.bookingplatform.events.booking.BookingRequested";

    private final CountDownLatch release = new CountDownLatch(1);

    private HttpServer server;

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void registryThatIsDownIsATransientErrorNamingUrlAndSubject() {
        String url = "http://127.0.0.1:" + FreePorts.next();
        RestSchemaRegistryClient client = client(url, Duration.ofSeconds(2));

        assertThatExceptionOfType(SchemaRegistryException.class)
                .isThrownBy(() -> client.register(SUBJECT, SampleEvents.bookingRequested().getSchema()))
                .withMessageContaining(url)
                .withMessageContaining(SUBJECT)
                .satisfies(ex -> assertThat(ex.isTransient()).isTrue());
    }

    @Test
    void slowRegistryTimesOutInsteadOfHanging() throws IOException {
        String url = serve(exchange -> awaitRelease());
        RestSchemaRegistryClient client = client(url, Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatExceptionOfType(SchemaRegistryException.class)
                .isThrownBy(() -> client.schemaById(7))
                .withMessageContaining("schema id 7")
                .withMessageContaining("no answer within 300 ms")
                .satisfies(ex -> assertThat(ex.isTransient()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void unknownIdIsAPermanentErrorWithTheRegistrysMessage() throws IOException {
        String url = serve(exchange -> respond(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema 5 not found\"}"));

        assertThatExceptionOfType(SchemaRegistryException.class)
                .isThrownBy(() -> client(url, Duration.ofSeconds(2)).schemaById(5))
                .withMessageContaining("schema id 5")
                .withMessageContaining("HTTP 404 Schema 5 not found")
                .satisfies(ex -> assertThat(ex.isTransient()).isFalse());
    }

    @Test
    void serverErrorIsTransient() throws IOException {
        String url = serve(exchange -> respond(exchange, 503, "{\"message\":\"store unavailable\"}"));

        assertThatExceptionOfType(SchemaRegistryException.class)
                .isThrownBy(() -> client(url, Duration.ofSeconds(2)).register(SUBJECT, SampleEvents.bookingRequested().getSchema()))
                .withMessageContaining("HTTP 503 store unavailable")
                .satisfies(ex -> assertThat(ex.isTransient()).isTrue());
    }

    @Test
    void answersAreCachedSoTheRegistryIsAskedOncePerSchema() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String url = serve(exchange -> {
            calls.incrementAndGet();
            respond(exchange, 200, "{\"id\":11}");
        });
        RestSchemaRegistryClient client = client(url, Duration.ofSeconds(2));

        for (int i = 0; i < 5; i++) {
            assertThat(client.register(SUBJECT, SampleEvents.bookingRequested().getSchema())).isEqualTo(11);
        }
        assertThat(client.schemaById(11)).isEqualTo(SampleEvents.bookingRequested().getSchema());
        assertThat(calls).hasValue(1);
    }

    @Test
    void serdeFailuresNameTheTopicAndTheRegistryProblem() {
        String url = "http://127.0.0.1:" + FreePorts.next();
        RestSchemaRegistryClient client = client(url, Duration.ofSeconds(2));

        assertThatExceptionOfType(SerializationException.class)
                .isThrownBy(() -> new AvroEventSerializer(client).serialize(Topics.BOOKING_EVENTS, SampleEvents.bookingRequested()))
                .withMessageContaining("booking.events")
                .withMessageContaining(SUBJECT)
                .withCauseInstanceOf(SchemaRegistryException.class);
        assertThatExceptionOfType(SerializationException.class)
                .isThrownBy(() -> new AvroEventDeserializer(client).deserialize(Topics.INVENTORY_EVENTS,
                        ConfluentWireFormat.frame(3, new byte[] { 0 })))
                .withMessageContaining("inventory.events")
                .withMessageContaining("schema id 3")
                .withCauseInstanceOf(SchemaRegistryException.class);
    }

    private static RestSchemaRegistryClient client(String url, Duration requestTimeout) {
        return new RestSchemaRegistryClient(new SchemaRegistrySettings(URI.create(url), Duration.ofSeconds(2), requestTimeout));
    }

    private String serve(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void awaitRelease() {
        try {
            release.await(20, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }
}
