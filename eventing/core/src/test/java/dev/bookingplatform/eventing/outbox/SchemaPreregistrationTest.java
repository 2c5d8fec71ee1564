package dev.bookingplatform.eventing.outbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.bookingplatform.events.EventType;
import dev.bookingplatform.events.registry.RestSchemaRegistryClient;
import dev.bookingplatform.events.registry.SchemaRegistrySettings;
import dev.bookingplatform.events.registry.SubjectNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a registry stand-in on real HTTP: once the service has started, an event of any type is written
 * without asking the registry (it may be slow or down by then), and a registry that is down at start
 * delays nothing but the registration itself.
 */
class SchemaPreregistrationTest {

    private final AtomicBoolean registryUp = new AtomicBoolean(true);

    private final AtomicInteger requests = new AtomicInteger();

    private final Set<String> registeredSubjects = ConcurrentHashMap.newKeySet();

    private HttpServer server;

    private RestSchemaRegistryClient client;

    @BeforeEach
    void startRegistryStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/subjects/", this::answer);
        server.start();
        client = new RestSchemaRegistryClient(new SchemaRegistrySettings(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(2), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stopRegistryStandIn() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        boolean up = registryUp.get();
        byte[] body = (up ? "{\"id\":" + (100 + registeredSubjects.size()) + "}" : "{\"error_code\":50301,\"message\":\"paused\"}")
                .getBytes(StandardCharsets.UTF_8);
        if (up) {
            registeredSubjects.add(path.substring("/subjects/".length(), path.indexOf("/versions")));
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(up ? 200 : 503, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void afterStartNoEventTypeWaitsForTheRegistry() {
        SchemaPreregistration preregistration = new SchemaPreregistration(client, Duration.ofMillis(100));
        preregistration.start();

        assertThat(preregistration.pending()).isEmpty();
        assertThat(registeredSubjects).hasSize(EventType.values().length);
        registryUp.set(false);
        int before = requests.get();
        for (EventType type : EventType.values()) {
            client.register(SubjectNames.topicRecordName(type.topic(), type.schema()), type.schema());
        }
        assertThat(requests.get()).as("registry requests for the first event of each type once started").isEqualTo(before);
        preregistration.stop();
    }

    @Test
    void aRegistryDownAtStartDoesNotHoldTheStartAndIsTriedUntilDone() {
        registryUp.set(false);
        SchemaPreregistration preregistration = new SchemaPreregistration(client, Duration.ofMillis(100));

        preregistration.start();

        assertThat(preregistration.isRunning()).isTrue();
        assertThat(preregistration.pending()).hasSize(EventType.values().length);
        await().atMost(Duration.ofSeconds(5)).until(() -> requests.get() >= 3);
        registryUp.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> preregistration.pending().isEmpty());
        assertThat(registeredSubjects).hasSize(EventType.values().length);
        preregistration.stop();
    }
}
