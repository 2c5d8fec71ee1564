package dev.bookingplatform.inventory;

import java.time.Duration;

import dev.bookingplatform.web.security.LocalTokens;

/** Tokens signed with the test key of src/test/resources/config/inventory-service.yml. */
public final class TestTokens {

    private static final LocalTokens TOKENS = LocalTokens.of("dGVzdC1vbmx5LWtleS1uZXZlci1mb3ItYS1kZXBsb3ltZW50IQ==");

    private TestTokens() {
    }

    public static String bearer(String subject, String... scopes) {
        return "Bearer " + TOKENS.issue(subject, Duration.ofMinutes(10), scopes);
    }
}
