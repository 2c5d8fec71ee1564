package dev.bookingplatform.payment;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripeSecretsCheckTest {

    @Test
    void theLocalProfileAcceptsThePublishedSecretsOnlyAgainstTheSimulator() {
        assertThatCode(() -> StripeSecretsCheck.check(properties("http://localhost:12111", "sk_test_local_simulator",
                "whsec_local_simulator"), true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> StripeSecretsCheck.check(properties("https://api.stripe.com", "sk_test_real_key",
                "whsec_local_simulator"), true)).hasMessageContaining("webhook-secrets");
    }

    /** The example overlay's values, and anything else that is not what Stripe issues, are refused against Stripe. */
    @Test
    void placeholdersAreRefusedAgainstStripe() {
        String key = "sk_live_51Habcdefghijklmnopqrstuvwxyz0123456789";
        String secret = "whsec_" + "0123456789abcdef".repeat(4);
        assertThatCode(() -> StripeSecretsCheck.check(properties("https://api.stripe.com", key, secret), false))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> StripeSecretsCheck.check(properties("https://api.stripe.com", key, "whsec_change_me"), false))
                .hasMessageContaining("webhook-secrets").hasMessageNotContaining("change_me");
        assertThatThrownBy(() -> StripeSecretsCheck.check(properties("https://api.stripe.com", "sk_test_change_me", secret), false))
                .hasMessageContaining("api-key").hasMessageNotContaining("change_me");
        assertThatThrownBy(() -> StripeSecretsCheck.check(properties("https://api.stripe.com", key, "whsec_" + "a".repeat(31)), false))
                .hasMessageContaining("webhook-secrets");
    }

    @Test
    void blankSecretsDoNotCount() {
        assertThatThrownBy(() -> StripeSecretsCheck.check(properties("https://api.stripe.com", "sk_live_x", " "), false))
                .hasMessageContaining("Set bookingplatform.stripe.webhook-secrets");
    }

    @Test
    void theSecretsNeverReachToString() {
        String text = properties("https://api.stripe.com", "sk_live_secret_value", "whsec_secret_value").toString();

        org.assertj.core.api.Assertions.assertThat(text).doesNotContain("sk_live_secret_value").doesNotContain("whsec_secret_value");
    }

    private static StripeProperties properties(String apiBase, String key, String secret) {
        return new StripeProperties(apiBase, key, List.of(secret), Duration.ofSeconds(300), "http://x/paid", "http://x/cancel",
                Duration.ofSeconds(2), Duration.ofSeconds(10), new StripeProperties.Retry(4, Duration.ofMillis(200)),
                new StripeProperties.Intents(8, Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofSeconds(30),
                        Duration.ofMinutes(31)),
                new StripeProperties.Reconciliation(true, Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofHours(24),
                        Duration.ofMinutes(1), 100));
    }
}
