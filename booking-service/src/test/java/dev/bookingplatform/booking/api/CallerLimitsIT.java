package dev.bookingplatform.booking.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import dev.bookingplatform.booking.BookingServiceApplication;
import dev.bookingplatform.booking.TestTokens;
import dev.bookingplatform.testsupport.junit.RealInfrastructure;
import dev.bookingplatform.web.security.Scopes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rate limits as configured: per token subject, per address only for failed authentication (a gateway's
 * many customers share one address), 429 problem details with Retry-After, recovery, and per replica.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=booking-service",
        "bookingplatform.security.rate-limits.per-subject.requests=5",
        "bookingplatform.security.rate-limits.per-subject.period=3s",
        "bookingplatform.security.rate-limits.per-address.requests=3",
        "bookingplatform.security.rate-limits.per-address.period=4s" })
@RealInfrastructure
@Timeout(120)
class CallerLimitsIT {

    @LocalServerPort
    int port;

    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBurstBeyondASubjectsLimitGets429WithRetryAfterOthersAreUnaffectedAndItRecovers() throws Exception {
        String greedy = TestTokens.bearer("greedy-" + System.nanoTime(), Scopes.BOOKINGS_READ);
        List<HttpResponse<String>> burst = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            burst.add(list(port, greedy));
        }

        assertThat(burst).filteredOn(response -> response.statusCode() == 200).hasSizeBetween(5, 6);
        HttpResponse<String> limited = burst.stream().filter(response -> response.statusCode() == 429).findFirst().orElseThrow();
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow()).isBetween(1L, 3L);
        assertThat(limited.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(limited.body()).contains("\"status\":429");
        assertThat(list(port, TestTokens.bearer("patient-" + System.nanoTime(), Scopes.BOOKINGS_READ)).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> list(port, greedy).statusCode() == 200);
    }

    @Test
    void anAddressIsLimitedOnlyForFailedAuthenticationNotForGoodTokens() throws Exception {
        List<Integer> failures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            failures.add(list(port, "Bearer forged.token.value").statusCode());
        }
        assertThat(failures).startsWith(401, 401, 401).endsWith(429);
        HttpResponse<String> tooMany = list(port, null);
        assertThat(tooMany.statusCode()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).isPresent();

        // The same address with good tokens (a gateway for many customers) is not held back.
        for (int i = 0; i < 4; i++) {
            assertThat(list(port, TestTokens.bearer("customer-" + i + "-" + System.nanoTime(), Scopes.BOOKINGS_READ)).statusCode())
                    .isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> list(port, null).statusCode() == 401);
    }

    @Test
    void limitsArePerReplica() throws Exception {
        String subject = TestTokens.bearer("two-replicas-" + System.nanoTime(), Scopes.BOOKINGS_READ);
        try (ConfigurableApplicationContext second = BookingServiceApplication.application().run(
                "--server.port=0", "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + environment.getProperty("spring.datasource.password"),
                "--spring.kafka.bootstrap-servers=" + environment.getProperty("spring.kafka.bootstrap-servers"),
                "--bookingplatform.schema-registry.url=" + environment.getProperty("bookingplatform.schema-registry.url"),
                "--bookingplatform.security.rate-limits.per-subject.requests=5",
                "--bookingplatform.security.rate-limits.per-subject.period=3s")) {
            int secondPort = Integer.parseInt(second.getEnvironment().getRequiredProperty("local.server.port"));
            int accepted = 0;
            while (list(port, subject).statusCode() == 200) {
                accepted++;
            }

            assertThat(accepted).as("this replica's bucket").isBetween(5, 6);
            assertThat(list(secondPort, subject).statusCode()).as("the other replica has a bucket of its own").isEqualTo(200);
        }
    }

    private HttpResponse<String> list(int onPort, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + onPort + "/api/bookings")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
