package dev.bookingplatform.payment.webhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.bookingplatform.testsupport.junit.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The webhook's limit counts per sending address, before the signature check: a flood gets 429 and then recovers. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=payment-service",
        "bookingplatform.security.rate-limits.webhook.requests=3",
        "bookingplatform.security.rate-limits.webhook.period=3s" })
@RealInfrastructure
@Timeout(120)
class WebhookRateLimitIT {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void unsignedPostsBeyondTheLimitGet429WithRetryAfterAndTheLimitRecovers() throws Exception {
        List<HttpResponse<String>> flood = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            flood.add(post());
        }

        assertThat(flood).extracting(HttpResponse::statusCode).startsWith(400, 400, 400).contains(429);
        HttpResponse<String> limited = flood.get(flood.size() - 1);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow()).isBetween(1L, 3L);
        assertThat(limited.body()).contains("\"status\":429");
        await().atMost(Duration.ofSeconds(10)).until(() -> post().statusCode() == 400);
    }

    private HttpResponse<String> post() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/stripe"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"evt_flood\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
